package dev.bookmarks.graph.directory;

/** Nobody listed under this username (unknown, not registered yet, or inactive); answered 404. */
public class UserNotFoundException extends RuntimeException {

	public UserNotFoundException(String username) {
		super("No user " + username);
	}

}
