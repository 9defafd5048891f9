package dev.bookmarks.platform.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Retries of a failing record before it is sent to the dead-letter topic.
 *
 * @param retries attempts after the first one
 * @param initialBackoff pause before the first retry, doubled each time
 * @param maxBackoff upper bound of the pause
 * @param applyTimeout how long a listener waits for one event's effect to commit
 * @param processedRetention how long applied event ids are remembered; must exceed the topics'
 * retention so that no redelivery can outlive its id
 */
@ConfigurationProperties("bookmarks.kafka.consumer")
public record ConsumerProperties(Integer retries, Duration initialBackoff, Duration maxBackoff, Duration applyTimeout,
		Duration processedRetention) {

	public ConsumerProperties {
		retries = retries != null ? retries : 5;
		initialBackoff = initialBackoff != null ? initialBackoff : Duration.ofMillis(200);
		maxBackoff = maxBackoff != null ? maxBackoff : Duration.ofSeconds(5);
		applyTimeout = applyTimeout != null ? applyTimeout : Duration.ofSeconds(30);
		processedRetention = processedRetention != null ? processedRetention : Duration.ofDays(30);
	}

}
