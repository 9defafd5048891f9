package dev.bookmarks.auth.recovery;

import java.time.Duration;

import dev.bookmarks.auth.mail.MailRetries;
import dev.bookmarks.auth.throttle.Limit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Password reset by mail ({@code bookmarks.auth.password-reset.*}; the From address is
 * {@code bookmarks.auth.mail-from}, shared by every mail the service sends).
 *
 * @param tokenTimeToLive how long a link works, counted from when its mail is sent
 * @param requestsPerEmail requests for one address that send a mail; beyond, the answer is the
 * same but nothing is sent
 * @param requestsPerAddress requests from one client address; beyond, 429
 * @param mailAttempts how often a mail is tried before it is given up (and logged as an error)
 * @param mailRetryDelay the pause after the first failed try; it doubles after every other one
 * @param pollInterval how often the mailer looks for requests to retry or left by another replica
 */
@Validated
@ConfigurationProperties("bookmarks.auth.password-reset")
public record PasswordResetProperties(@NotNull Duration tokenTimeToLive,
		@Valid @NotNull Limit requestsPerEmail, @Valid @NotNull Limit requestsPerAddress, @Positive int mailAttempts,
		@NotNull Duration mailRetryDelay, @NotNull Duration pollInterval) implements MailRetries {

}
