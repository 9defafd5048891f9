package dev.bookmarks.bookmark.picture;

/** The downloaded bytes are not an image the site accepts; answered 400 on {@code url}. */
public class InvalidImageException extends RuntimeException {

	public InvalidImageException(String message) {
		super(message);
	}

}
