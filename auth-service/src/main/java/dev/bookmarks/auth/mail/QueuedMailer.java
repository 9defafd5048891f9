package dev.bookmarks.auth.mail;

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

import dev.bookmarks.auth.mail.MailQueue.Claimed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;

/**
 * Sends the mails of one {@link MailQueue}, on one thread of its own: woken right after a request
 * commits ({@link #wakeUp}), and every poll interval for retries and for mails another replica left
 * behind. What a mail says, and whether it is still wanted, is the subclass's ({@link #prepare}).
 *
 * <p>A failed send runs the mail's own undo (a link's token is forgotten) and is tried again later
 * with a growing pause; after the last attempt the mail is dropped with an error in the log, so a
 * mail never disappears without a trace. Housekeeping of the feature runs on the same thread now
 * and then.
 *
 * @param <T> what a queued row says about its mail
 */
public abstract class QueuedMailer<T> implements SmartLifecycle {

	/** Longer than a batch of sends can take with the SMTP timeouts of application.yml. */
	private static final Duration LEASE = Duration.ofMinutes(5);

	private static final int BATCH = 10;

	private static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);

	private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(10);

	/** The subclass's, so that its log lines keep its name. */
	private final Logger log = LoggerFactory.getLogger(getClass());

	private final String name;

	private final MailQueue<T> queue;

	private final MailSender mailSender;

	private final MailRetries retries;

	private final String mailFrom;

	private final Clock clock;

	private final AtomicBoolean wakeUpPending = new AtomicBoolean();

	private volatile ScheduledExecutorService executor;

	private Instant nextHousekeeping = Instant.MIN;

	/**
	 * @param name the name of the mailer's thread, also in its log lines
	 * @param mailFrom the From address of every mail ({@code bookmarks.auth.mail-from})
	 */
	protected QueuedMailer(String name, MailQueue<T> queue, MailSender mailSender, MailRetries retries,
			String mailFrom, Clock clock) {
		this.name = name;
		this.queue = queue;
		this.mailSender = mailSender;
		this.retries = retries;
		this.mailFrom = mailFrom;
		this.clock = clock;
	}

	/**
	 * A mail ready to go, with what to undo when it could not be sent.
	 * @param about names the mail in log lines, for example "Password reset mail for account 42"
	 * @param undo runs after a failed send, before the retry is scheduled
	 */
	public record Outgoing(SimpleMailMessage message, String about, Runnable undo) {

		public Outgoing(SimpleMailMessage message, String about) {
			this(message, about, () -> {
			});
		}

	}

	/**
	 * What to send for a claimed mail, on the mailer's thread.
	 * @return empty when nothing needs sending any more (the account is gone, say): the mail is
	 * done
	 */
	protected abstract Optional<Outgoing> prepare(Claimed<T> mail);

	/** Deletes what the feature no longer needs; every ten minutes or so. Nothing by default. */
	protected void housekeeping(Instant now) {
	}

	/** Sends what is due soon, without waiting for the next poll. Cheap to call often. */
	public void wakeUp() {
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
				housekeeping(now);
			}
		}
		catch (RuntimeException ex) {
			// The database is away, say: the mails wait in their table for the next poll.
			log.warn("{}: {}", name, ex.toString());
		}
	}

	/** Sends every due mail, a batch at a time. */
	private void sendDue() {
		List<Claimed<T>> batch;
		do {
			Instant now = now();
			batch = queue.claim(now, now.plus(LEASE), BATCH);
			batch.forEach(this::send);
		}
		while (batch.size() == BATCH);
	}

	private void send(Claimed<T> mail) {
		Optional<Outgoing> prepared = prepare(mail);
		if (prepared.isEmpty()) {
			queue.done(mail.id());
			return;
		}
		Outgoing outgoing = prepared.get();
		try {
			mailSender.send(outgoing.message());
		}
		catch (RuntimeException ex) {
			outgoing.undo().run();
			failed(mail, outgoing.about(), ex);
			return;
		}
		queue.done(mail.id());
		log.info("{} sent", outgoing.about());
	}

	private void failed(Claimed<T> mail, String about, RuntimeException ex) {
		String error = String.valueOf(ex.getMessage());
		if (mail.attempts() >= retries.mailAttempts()) {
			queue.done(mail.id());
			log.error("{} given up after {} attempts: {}", about, mail.attempts(), error, ex);
			return;
		}
		Instant retryAt = now().plus(retryDelay(mail.attempts()));
		queue.retryAt(mail.id(), retryAt, error.length() > 1000 ? error.substring(0, 1000) : error);
		log.warn("{} failed (attempt {} of {}), retrying at {}: {}", about, mail.attempts(), retries.mailAttempts(),
				retryAt, error);
	}

	private Duration retryDelay(int attempts) {
		Duration delay = retries.mailRetryDelay().multipliedBy(1L << Math.min(attempts - 1, 20));
		return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
	}

	/** A plain text mail from the service's From address. */
	protected SimpleMailMessage message(String to, String subject, String text) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(mailFrom);
		message.setTo(to);
		message.setSubject(subject);
		message.setText(text);
		return message;
	}

	/** Now, to the microsecond PostgreSQL keeps. */
	protected Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	/** For a mail's text: "1 hour", "24 hours", "30 minutes". */
	protected static String describe(Duration duration) {
		long minutes = Math.max(1, duration.toMinutes());
		if (minutes % 60 == 0) {
			return minutes == 60 ? "1 hour" : (minutes / 60) + " hours";
		}
		return minutes == 1 ? "1 minute" : minutes + " minutes";
	}

	@Override
	public void start() {
		ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
		started.scheduleWithFixedDelay(this::run, 0, retries.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
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
