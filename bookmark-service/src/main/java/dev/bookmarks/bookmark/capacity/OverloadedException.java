package dev.bookmarks.bookmark.capacity;

import java.time.Duration;

/** A bound on concurrent work is full: answered 503 with {@code Retry-After}; nothing was changed. */
public class OverloadedException extends RuntimeException {

	private final Duration retryAfter;

	public OverloadedException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	/** Whole seconds, at least 1. */
	public long retryAfterSeconds() {
		return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
	}

}
