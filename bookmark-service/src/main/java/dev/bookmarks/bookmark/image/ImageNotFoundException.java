package dev.bookmarks.bookmark.image;

import java.util.UUID;

/** No image with this id (perhaps deleted); answered 404. */
public class ImageNotFoundException extends RuntimeException {

	public ImageNotFoundException(UUID id) {
		super("No image " + id);
	}

}
