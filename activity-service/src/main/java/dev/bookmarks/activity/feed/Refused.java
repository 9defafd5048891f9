package dev.bookmarks.activity.feed;

import java.time.Duration;

import dev.bookmarks.platform.web.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A request the feed does not serve: answered as problem+json, with Retry-After where waiting helps. */
class Refused extends ErrorResponseException {

	private Refused(HttpStatus status, String detail, Duration retryAfter) {
		super(status, Problems.of(status, detail), null);
		if (retryAfter != null) {
			getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		}
	}

	static Refused busy(String detail, Duration retryAfter) {
		return new Refused(HttpStatus.SERVICE_UNAVAILABLE, detail, retryAfter);
	}

	static Refused tooMany(String detail, Duration retryAfter) {
		return new Refused(HttpStatus.TOO_MANY_REQUESTS, detail, retryAfter);
	}

	static Refused noSuchUser() {
		return new Refused(HttpStatus.NOT_FOUND, "There is no such user.", null);
	}

}
