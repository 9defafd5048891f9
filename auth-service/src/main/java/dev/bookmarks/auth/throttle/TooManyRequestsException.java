package dev.bookmarks.auth.throttle;

import java.time.Duration;

import dev.bookmarks.platform.web.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** Answered 429 as problem+json, with {@code Retry-After} in whole seconds (at least 1). */
public class TooManyRequestsException extends ErrorResponseException {

	public TooManyRequestsException(String detail, Duration retryAfter) {
		super(HttpStatus.TOO_MANY_REQUESTS, Problems.of(HttpStatus.TOO_MANY_REQUESTS, detail), null);
		long seconds = Math.max(1, retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0));
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
	}

}
