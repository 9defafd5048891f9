package dev.bookmarks.platform.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the outbox relay.
 *
 * @param relayEnabled whether this instance runs a relay (several may run at once)
 * @param pollInterval pause between two claims when the outbox was empty
 * @param batchSize rows claimed per transaction
 * @param sendTimeout how long one publish may wait for the broker's acknowledgement
 * @param initialBackoff first pause after a failed publish; doubles per attempt
 * @param maxBackoff upper bound of that pause
 * @param maxAttempts failed publishes after which a row is parked and counted
 * @param retention how long sent rows are kept before clean-up
 */
@ConfigurationProperties("bookmarks.outbox")
public record OutboxProperties(Boolean relayEnabled, Duration pollInterval, Integer batchSize, Duration sendTimeout,
		Duration initialBackoff, Duration maxBackoff, Integer maxAttempts, Duration retention) {

	public OutboxProperties {
		relayEnabled = relayEnabled == null || relayEnabled;
		pollInterval = pollInterval != null ? pollInterval : Duration.ofMillis(200);
		batchSize = batchSize != null ? batchSize : 100;
		sendTimeout = sendTimeout != null ? sendTimeout : Duration.ofSeconds(10);
		initialBackoff = initialBackoff != null ? initialBackoff : Duration.ofMillis(500);
		maxBackoff = maxBackoff != null ? maxBackoff : Duration.ofSeconds(30);
		maxAttempts = maxAttempts != null ? maxAttempts : 20;
		retention = retention != null ? retention : Duration.ofDays(7);
	}

	/** The pause before attempt {@code attempts + 1} of a row, or of the relay after a failure. */
	public Duration backoffAfter(int attempts) {
		long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
		Duration delay = initialBackoff.multipliedBy(factor);
		return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
	}

}
