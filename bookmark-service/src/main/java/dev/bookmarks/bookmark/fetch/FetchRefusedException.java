package dev.bookmarks.bookmark.fetch;

/** The server will not (or could not) fetch an image from this URL; answered 400 on {@code url}. */
public class FetchRefusedException extends RuntimeException {

	public FetchRefusedException(String message) {
		super(message);
	}

	public FetchRefusedException(String message, Throwable cause) {
		super(message, cause);
	}

}
