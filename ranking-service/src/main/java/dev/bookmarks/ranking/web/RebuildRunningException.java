package dev.bookmarks.ranking.web;

/** A rebuild holds the lease already; a second one would only compete with it. */
class RebuildRunningException extends RuntimeException {

	RebuildRunningException() {
		super("A rankings rebuild is already running", null, false, false);
	}

}
