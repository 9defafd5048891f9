package dev.bookmarks.auth.profile;

/** The new email address is another account's email or username, ignoring case. */
public class EmailTakenException extends RuntimeException {

	EmailTakenException() {
		super("The email address is taken");
	}

}
