package dev.bookmarks.ranking.web;

/** No counters for this image: never seen by the rankings, or deleted. */
class ImageNotFoundException extends RuntimeException {

	ImageNotFoundException() {
		super("No such image in the rankings", null, false, false);
	}

}
