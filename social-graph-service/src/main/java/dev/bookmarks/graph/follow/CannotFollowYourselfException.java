package dev.bookmarks.graph.follow;

/** Following (or unfollowing) oneself; answered 400. */
public class CannotFollowYourselfException extends RuntimeException {

	CannotFollowYourselfException() {
		super("Nobody can follow themselves");
	}

}
