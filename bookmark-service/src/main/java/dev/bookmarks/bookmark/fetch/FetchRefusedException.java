package dev.bookmarks.bookmark.fetch;

/** The server will not (or could not) fetch an image from this URL; answered 400 on {@code url}. */
public class FetchRefusedException extends RuntimeException {

	/**
	 * The one answer for every address the server will not fetch from, whatever the block and
	 * whether a literal or a DNS answer named it: telling them apart would let anyone map the
	 * internal network and its DNS through us. The detail goes to the log only.
	 */
	public static final String NOT_PUBLIC = "is not a public internet address";

	public FetchRefusedException(String message) {
		super(message);
	}

	public FetchRefusedException(String message, Throwable cause) {
		super(message, cause);
	}

}
