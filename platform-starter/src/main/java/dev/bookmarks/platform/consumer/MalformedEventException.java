package dev.bookmarks.platform.consumer;

/**
 * A record that can never be applied, whatever the retries: not JSON, no envelope, or a payload
 * that does not fit its type. It goes straight to the dead-letter topic.
 */
public class MalformedEventException extends RuntimeException {

	public MalformedEventException(String message, Throwable cause) {
		super(message, cause);
	}

	public MalformedEventException(String message) {
		super(message);
	}

}
