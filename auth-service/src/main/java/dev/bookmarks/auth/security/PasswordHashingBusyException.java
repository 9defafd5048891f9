package dev.bookmarks.auth.security;

import java.time.Duration;

import dev.bookmarks.platform.web.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * No password hashing permit came free in time: answered 503 as problem+json with
 * {@code Retry-After}. The login form never shows it: there it is a wrong password (see
 * {@link dev.bookmarks.auth.throttle.LoginThrottling}).
 */
public class PasswordHashingBusyException extends ErrorResponseException {

	private final Duration typicalHashTime;

	PasswordHashingBusyException(Duration retryAfter, Duration typicalHashTime) {
		super(HttpStatus.SERVICE_UNAVAILABLE,
				Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "The service is busy. Try again in a moment."), null);
		long seconds = Math.max(1, retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0));
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		this.typicalHashTime = typicalHashTime;
	}

	/** About how long one hash takes here lately: what a refusal must add to look like a check. */
	public Duration typicalHashTime() {
		return typicalHashTime;
	}

	/** The busy refusal behind {@code error}, if that is what it is (possibly wrapped). */
	public static java.util.Optional<PasswordHashingBusyException> in(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof PasswordHashingBusyException busy) {
				return java.util.Optional.of(busy);
			}
		}
		return java.util.Optional.empty();
	}

}
