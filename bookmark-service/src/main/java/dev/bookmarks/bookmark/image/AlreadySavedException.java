package dev.bookmarks.bookmark.image;

import java.util.UUID;

/** The person saved this URL before; answered 409 with the existing image's id. */
public class AlreadySavedException extends RuntimeException {

	private final UUID existingId;

	public AlreadySavedException(UUID existingId) {
		super("You already saved this URL as image " + existingId);
		this.existingId = existingId;
	}

	public UUID existingId() {
		return existingId;
	}

}
