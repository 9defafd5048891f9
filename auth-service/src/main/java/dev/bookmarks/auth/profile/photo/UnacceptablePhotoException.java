package dev.bookmarks.auth.profile.photo;

/** An upload that is not a photo we take; the message is meant for the person who sent it. */
public class UnacceptablePhotoException extends RuntimeException {

	UnacceptablePhotoException(String message) {
		super(message);
	}

	UnacceptablePhotoException(String message, Throwable cause) {
		super(message, cause);
	}

}
