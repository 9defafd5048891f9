package dev.bookmarks.auth.throttle;

import java.time.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Login throttling and per-address limits ({@code bookmarks.auth.throttling.*}).
 *
 * @param trustedProxies addresses (a regular expression matched against the whole address) whose
 * {@code X-Forwarded-For} is believed: the gateway's. Loopback by default, as in the local stack.
 * @param accountLock failed logins of one account that lock it ({@code max} within {@code window})
 * @param lockDuration how long a locked account refuses every login
 * @param loginFailuresPerAddress failed logins from one client address after which its logins fail
 * @param registrationsPerAddress registrations from one client address, answered 429 beyond
 * @param retention how long counted attempts are kept; at least the longest window
 */
@Validated
@ConfigurationProperties("bookmarks.auth.throttling")
public record ThrottlingProperties(@NotBlank String trustedProxies, @Valid @NotNull Limit accountLock,
		@NotNull Duration lockDuration, @Valid @NotNull Limit loginFailuresPerAddress,
		@Valid @NotNull Limit registrationsPerAddress, @NotNull Duration retention) {

}
