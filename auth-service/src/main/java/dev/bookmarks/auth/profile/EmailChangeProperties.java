package dev.bookmarks.auth.profile;

import java.time.Duration;

import dev.bookmarks.auth.mail.MailRetries;
import dev.bookmarks.auth.throttle.Limit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Changing the email address ({@code bookmarks.auth.email-change.*}; the From address is
 * {@code bookmarks.auth.mail-from}).
 *
 * @param tokenTimeToLive how long the link to the new address works, counted from when its mail
 * is sent
 * @param requestsPerAccount change requests of one account; beyond, 429
 * @param mailAttempts how often a mail is tried before it is given up (and logged as an error)
 * @param mailRetryDelay the pause after the first failed try; it doubles after every other one
 * @param pollInterval how often the mailer looks for mails to retry or left by another replica
 */
@Validated
@ConfigurationProperties("bookmarks.auth.email-change")
public record EmailChangeProperties(@NotNull Duration tokenTimeToLive, @Valid @NotNull Limit requestsPerAccount,
		@Positive int mailAttempts, @NotNull Duration mailRetryDelay,
		@NotNull Duration pollInterval) implements MailRetries {

}
