package dev.bookmarks.auth.security;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How many password hashes run at once ({@code bookmarks.auth.password-hashing.*}).
 *
 * @param maxConcurrent at most this many hashes at once; 0 to size it from the cores and the
 * maximum heap (see {@link BoundedPasswordEncoder#permitsFor})
 * @param permitWait how long a hash waits for its turn; then a login fails like a wrong password
 * and an API call answers 503
 */
@Validated
@ConfigurationProperties("bookmarks.auth.password-hashing")
public record PasswordHashingProperties(@PositiveOrZero int maxConcurrent, @NotNull Duration permitWait) {

}
