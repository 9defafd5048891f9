package dev.bookmarks.auth.profile;

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
import dev.bookmarks.auth.profile.EmailChangeMails.Pending;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.stereotype.Component;

/**
 * Sends the mails of email changes, like the password reset mailer: on a thread of its own, woken
 * right after a request commits and every poll interval for retries and for mails another replica
 * left behind. The link's token is made when its mail goes out, so the queue holds no secret; a
 * failed send forgets that token and tries again later with a growing pause; after the last
 * attempt the mail is dropped with an error in the log.
 */
@Component
class EmailChangeMailer implements SmartLifecycle {

	static final String CONFIRM_SUBJECT = "Confirm your new Bookmarks email address";

	static final String NOTICE_SUBJECT = "Your Bookmarks email address is about to change";

	static final String TAKEN_SUBJECT = "Someone asked to use your email address on Bookmarks";

	private static final Logger log = LoggerFactory.getLogger(EmailChangeMailer.class);

	/** Longer than a batch of sends can take with the SMTP timeouts of application.yml. */
	private static final Duration LEASE = Duration.ofMinutes(5);

	private static final int BATCH = 10;

	private static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);

	private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(10);

	/** Expired changes are kept a day, for questions about a link someone got. */
	private static final Duration EXPIRED_RETENTION = Duration.ofDays(1);

	private final EmailChangeMails mails;

	private final EmailChangeRequests changes;

	private final AccountRepository accounts;

	private final MailSender mailSender;

	private final EmailChangeProperties properties;

	private final String mailFrom;

	private final String publicOrigin;

	private final Clock clock;

	private final AtomicBoolean wakeUpPending = new AtomicBoolean();

	private volatile ScheduledExecutorService executor;

	private Instant nextHousekeeping = Instant.MIN;

	EmailChangeMailer(EmailChangeMails mails, EmailChangeRequests changes, AccountRepository accounts,
			MailSender mailSender, EmailChangeProperties properties, AuthProperties authProperties,
			@Value("${bookmarks.auth.mail-from:no-reply@localhost}") String mailFrom, ObjectProvider<Clock> clock) {
		this.mails = mails;
		this.changes = changes;
		this.accounts = accounts;
		this.mailSender = mailSender;
		this.properties = properties;
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
				changes.deleteExpiredBefore(now.minus(EXPIRED_RETENTION));
			}
		}
		catch (RuntimeException ex) {
			// The database is away, say: the mails wait in their table for the next poll.
			log.warn("Email change mailer: {}", ex.toString());
		}
	}

	void sendDue() {
		List<Pending> batch;
		do {
			Instant now = now();
			batch = mails.claim(now, now.plus(LEASE), BATCH);
			batch.forEach(this::send);
		}
		while (batch.size() == BATCH);
	}

	private void send(Pending mail) {
		Optional<Account> found = accounts.findById(mail.accountId());
		if (found.isEmpty()) {
			mails.done(mail.id());
			return;
		}
		Account account = found.get();
		String token = null;
		SimpleMailMessage message;
		switch (mail.kind()) {
			case CONFIRM -> {
				Optional<String> issued = changes.issueToken(mail.changeId(),
						now().plus(properties.tokenTimeToLive()));
				if (issued.isEmpty()) {
					// Replaced by a newer request, or cancelled: its link is no use to anyone.
					mails.done(mail.id());
					return;
				}
				token = issued.get();
				message = confirmation(account, mail.recipient(), token);
			}
			case NOTICE -> message = notice(account, mail.recipient(), mail.newEmail());
			case TAKEN -> message = taken(mail.recipient());
			default -> throw new IllegalStateException("Unknown mail kind " + mail.kind());
		}
		try {
			mailSender.send(message);
		}
		catch (RuntimeException ex) {
			if (token != null) {
				changes.forgetToken(token);
			}
			failed(mail, ex);
			return;
		}
		mails.done(mail.id());
		log.info("Email change mail {} sent for account {}", mail.kind(), account.id());
	}

	private void failed(Pending mail, RuntimeException ex) {
		String error = String.valueOf(ex.getMessage());
		if (mail.attempts() >= properties.mailAttempts()) {
			mails.done(mail.id());
			log.error("Gave up the email change mail {} for account {} after {} attempts: {}", mail.kind(),
					mail.accountId(), mail.attempts(), error, ex);
			return;
		}
		Duration delay = properties.mailRetryDelay().multipliedBy(1L << Math.min(mail.attempts() - 1, 20));
		Instant retryAt = now().plus(delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay);
		mails.retryAt(mail.id(), retryAt, error.length() > 1000 ? error.substring(0, 1000) : error);
		log.warn("Email change mail {} for account {} failed (attempt {} of {}), retrying at {}: {}", mail.kind(),
				mail.accountId(), mail.attempts(), properties.mailAttempts(), retryAt, error);
	}

	private SimpleMailMessage confirmation(Account account, String to, String token) {
		String link = publicOrigin + "/account/email/confirm?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
		return message(to, CONFIRM_SUBJECT, """
				Hello %s,

				someone, hopefully you, asked to use this address for the Bookmarks account "%s".
				To confirm it, open this link within %s:

				%s

				Until then the account keeps its old address. The link works once. If you did not ask for this,
				ignore this mail: nothing changes.
				""".formatted(account.displayName(), account.username(), describe(properties.tokenTimeToLive()),
				link));
	}

	private SimpleMailMessage notice(Account account, String to, String newEmail) {
		return message(to, NOTICE_SUBJECT, """
				Hello %s,

				someone asked to change the email address of your Bookmarks account "%s" to %s.
				The account keeps this address unless the link sent to the new one is opened.

				If that was you, there is nothing to do. If it was not, someone knows your password: choose a new
				one right away at %s/password-reset (the link comes to this address). That also stops the change
				and signs out every other device.
				""".formatted(account.displayName(), account.username(), masked(newEmail), publicOrigin));
	}

	private SimpleMailMessage taken(String to) {
		return message(to, TAKEN_SUBJECT, """
				Hello,

				someone asked to use this address for another Bookmarks account. It already belongs to your
				account, so nothing was changed, and there is nothing for you to do.

				If you have forgotten your password, you can choose a new one at %s/password-reset.
				""".formatted(publicOrigin));
	}

	private SimpleMailMessage message(String to, String subject, String text) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(mailFrom);
		message.setTo(to);
		message.setSubject(subject);
		message.setText(text);
		return message;
	}

	/**
	 * Enough of an address for its owner to recognise it, not enough to learn it from the old
	 * mailbox: {@code a***@e***.org} for {@code alice@example.org}.
	 */
	static String masked(String email) {
		int at = email.lastIndexOf('@');
		String local = at < 0 ? email : email.substring(0, at);
		String domain = at < 0 ? "" : email.substring(at + 1);
		int dot = domain.lastIndexOf('.');
		String name = dot < 0 ? domain : domain.substring(0, dot);
		String topLevel = dot < 0 ? "" : domain.substring(dot);
		return first(local) + "***@" + first(name) + "***" + topLevel;
	}

	private static String first(String value) {
		return value.isEmpty() ? "" : value.substring(0, value.offsetByCodePoints(0, 1));
	}

	/** "24 hours", "1 hour", "30 minutes". */
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
			Thread thread = new Thread(runnable, "email-change-mailer");
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
