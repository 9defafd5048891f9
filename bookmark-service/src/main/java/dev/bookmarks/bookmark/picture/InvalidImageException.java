package dev.bookmarks.bookmark.picture;

import dev.bookmarks.bookmark.fetch.FetchRefusedException.Reason;

/** The downloaded bytes are not an image the site accepts; answered 400 on {@code url}. */
public class InvalidImageException extends RuntimeException {

	private final Reason reason;

	/** Bytes that are not an acceptable picture ({@link Reason#BAD_TYPE}). */
	public InvalidImageException(String message) {
		this(Reason.BAD_TYPE, message);
	}

	/** A picture refused for its size ({@link Reason#TOO_LARGE}) or its decoding time ({@link Reason#TIMEOUT}). */
	public InvalidImageException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public Reason reason() {
		return reason;
	}

}
