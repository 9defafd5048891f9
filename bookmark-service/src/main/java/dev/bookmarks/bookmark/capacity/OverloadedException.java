package dev.bookmarks.bookmark.capacity;

import java.time.Duration;

/** A bound on concurrent work is full: answered 503 with {@code Retry-After}; nothing was changed. */
public class OverloadedException extends RuntimeException {

	private final String bound;

	private final Duration retryAfter;

	/**
	 * @param bound which bound was full, for the metrics ({@code pictures}, {@code downloads},
	 * {@code queue})
	 */
	public OverloadedException(String bound, String message, Duration retryAfter) {
		super(message);
		this.bound = bound;
		this.retryAfter = retryAfter;
	}

	public String bound() {
		return bound;
	}

	/** Whole seconds, at least 1. */
	public long retryAfterSeconds() {
		return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
	}

}
