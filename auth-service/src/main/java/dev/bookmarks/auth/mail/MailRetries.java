package dev.bookmarks.auth.mail;

import java.time.Duration;

/**
 * How a {@link QueuedMailer} retries, from the properties of the feature that owns the queue.
 */
public interface MailRetries {

	/** How often a mail is tried before it is given up (and logged as an error). */
	int mailAttempts();

	/** The pause after the first failed try; it doubles after every other one, up to an hour. */
	Duration mailRetryDelay();

	/** How often the mailer looks for mails to retry or left by another replica. */
	Duration pollInterval();

}
