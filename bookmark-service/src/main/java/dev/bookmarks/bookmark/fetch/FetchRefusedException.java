package dev.bookmarks.bookmark.fetch;

import java.util.Locale;

/** The server will not (or could not) fetch an image from this URL; answered 400 on {@code url}. */
public class FetchRefusedException extends RuntimeException {

	/**
	 * The one answer for every address the server will not fetch from, whatever the block and
	 * whether a literal or a DNS answer named it: telling them apart would let anyone map the
	 * internal network and its DNS through us. The detail goes to the log only.
	 */
	public static final String NOT_PUBLIC = "is not a public internet address";

	/** Why, in the few words a metric can be tagged with (the message is for the person). */
	public enum Reason {

		/** Not a URL the server fetches: malformed, not http(s), with credentials, no host. */
		INVALID_URL,
		/** A port outside the allowed ones. */
		PORT,
		/** A loopback, private, link-local or otherwise non-public address, literal or resolved. */
		PRIVATE_ADDRESS,
		/** The name does not resolve. */
		UNKNOWN_HOST,
		/** The fetch (or the decode of what it fetched) took longer than allowed. */
		TIMEOUT,
		/** More bytes (or pixels) than allowed. */
		TOO_LARGE,
		/** The bytes are not a picture the server accepts. */
		BAD_TYPE,
		/** The other server answered something other than a picture: an error status, no body. */
		BAD_ANSWER,
		/** Too many redirects, or one without a Location. */
		REDIRECTS,
		/** The connection failed: refused, reset, TLS. */
		UNREACHABLE;

		/** The tag value: {@code private_address}, ... */
		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Reason reason;

	public FetchRefusedException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public FetchRefusedException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	public Reason reason() {
		return reason;
	}

}
