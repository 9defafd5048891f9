package dev.bookmarks.auth.recovery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;
import dev.bookmarks.auth.oidc.AuthProperties;
import dev.bookmarks.auth.recovery.ResetRequests.Pending;
import dev.bookmarks.auth.throttle.RateLimits;
import dev.bookmarks.auth.throttle.ThrottlingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.stereotype.Component;

/**
 * Sends the reset mails of queued requests, on one thread of its own: woken right after a request
 * commits, and every poll interval for retries and for requests another replica left behind.
 *
 * <p>For each request it looks the account up by email (no account: done, nothing is sent),
 * issues a token and sends the link. A failed send forgets that token and tries again later with a
 * growing pause; after the last attempt the request is dropped with an error in the log, so a mail
 * never disappears without a trace. Also deletes expired tokens and old throttling counts now and
 * then.
 */
@Component
class PasswordResetMailer implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PasswordResetMailer.class);

	/** Longer than a batch of sends can take with the SMTP timeouts of application.yml. */
	private static final Duration LEASE = Duration.ofMinutes(5);

	private static final int BATCH = 10;

	private static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);

	private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(10);

	/** Expired tokens are kept a day, for questions about a link someone got. */
	private static final Duration EXPIRED_TOKEN_RETENTION = Duration.ofDays(1);

	private final ResetRequests requests;

	private final ResetTokens tokens;

	private final AccountRepository accounts;

	private final MailSender mailSender;

	private final RateLimits rateLimits;

	private final PasswordResetProperties properties;

	private final Duration throttleRetention;

	private final String mailFrom;

	private final String publicOrigin;

	private final Clock clock;

	private final AtomicBoolean wakeUpPending = new AtomicBoolean();

	private volatile ScheduledExecutorService executor;

	private Instant nextHousekeeping = Instant.MIN;

	PasswordResetMailer(ResetRequests requests, ResetTokens tokens, AccountRepository accounts, MailSender mailSender,
			RateLimits rateLimits, PasswordResetProperties properties, ThrottlingProperties throttling,
			AuthProperties authProperties, @Value("${bookmarks.auth.mail-from:no-reply@localhost}") String mailFrom,
			ObjectProvider<Clock> clock) {
		this.requests = requests;
		this.tokens = tokens;
		this.accounts = accounts;
		this.mailSender = mailSender;
		this.rateLimits = rateLimits;
		this.properties = properties;
		this.throttleRetention = throttling.retention();
		this.mailFrom = mailFrom;
		this.publicOrigin = authProperties.publicOrigin();
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/** Sends what is due soon, without waiting for the next poll. Cheap to call often. */
	void wakeUp() {
		ScheduledExecutorService current = executor;
		if (current != null && wakeUpPending.compareAndSet(false, true)) {
			current.execute(() -> {
				wakeUpPending.set(false);
				run();
			});
		}
	}

	private void run() {
		try {
			sendDue();
			Instant now = clock.instant();
			if (!now.isBefore(nextHousekeeping)) {
				nextHousekeeping = now.plus(HOUSEKEEPING_INTERVAL);
				tokens.deleteExpiredBefore(now.minus(EXPIRED_TOKEN_RETENTION));
				rateLimits.forgetOlderThan(throttleRetention);
			}
		}
		catch (RuntimeException ex) {
			// The database is away, say: the requests wait in their table for the next poll.
			log.warn("Password reset mailer: {}", ex.toString());
		}
	}

	/** Sends every due request, a batch at a time. */
	void sendDue() {
		List<Pending> batch;
		do {
			Instant now = now();
			batch = requests.claim(now, now.plus(LEASE), BATCH);
			batch.forEach(this::send);
		}
		while (batch.size() == BATCH);
	}

	private void send(Pending request) {
		Optional<Account> found = accounts.findByEmail(request.email());
		if (found.isEmpty()) {
			requests.done(request.id());
			return;
		}
		Account account = found.get();
		Instant now = now();
		String token = tokens.issue(account.id(), now, now.plus(properties.tokenTimeToLive()));
		try {
			mailSender.send(message(account, token));
		}
		catch (RuntimeException ex) {
			tokens.delete(token);
			failed(request, account, ex);
			return;
		}
		requests.done(request.id());
		log.info("Password reset mail sent for account {}", account.id());
	}

	private void failed(Pending request, Account account, RuntimeException ex) {
		String error = String.valueOf(ex.getMessage());
		if (request.attempts() >= properties.mailAttempts()) {
			requests.done(request.id());
			log.error("Gave up the password reset mail for account {} after {} attempts; the person must ask again: {}",
					account.id(), request.attempts(), error, ex);
			return;
		}
		Instant retryAt = now().plus(retryDelay(request.attempts()));
		requests.retryAt(request.id(), retryAt, error.length() > 1000 ? error.substring(0, 1000) : error);
		log.warn("Password reset mail for account {} failed (attempt {} of {}), retrying at {}: {}", account.id(),
				request.attempts(), properties.mailAttempts(), retryAt, error);
	}

	private Duration retryDelay(int attempts) {
		Duration delay = properties.mailRetryDelay().multipliedBy(1L << Math.min(attempts - 1, 20));
		return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
	}

	private SimpleMailMessage message(Account account, String token) {
		String link = publicOrigin + "/password-reset/confirm?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(mailFrom);
		message.setTo(account.email());
		message.setSubject("Reset your Bookmarks password");
		message.setText("""
				Hello %s,

				someone, hopefully you, asked to reset the password of your Bookmarks account "%s".
				To choose a new password, open this link within %s:

				%s

				The link works once. If you did not ask for this, ignore this mail: your password stays as it is.
				""".formatted(account.displayName(), account.username(), describe(properties.tokenTimeToLive()), link));
		return message;
	}

	/** "1 hour", "2 hours", "30 minutes". */
	static String describe(Duration duration) {
		long minutes = Math.max(1, duration.toMinutes());
		if (minutes % 60 == 0) {
			return minutes == 60 ? "1 hour" : (minutes / 60) + " hours";
		}
		return minutes == 1 ? "1 minute" : minutes + " minutes";
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	@Override
	public void start() {
		ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "password-reset-mailer");
			thread.setDaemon(true);
			return thread;
		});
		started.scheduleWithFixedDelay(this::run, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
		executor = started;
	}

	@Override
	public void stop() {
		ScheduledExecutorService current = executor;
		executor = null;
		if (current != null) {
			current.shutdown();
			try {
				current.awaitTermination(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return executor != null;
	}

}
