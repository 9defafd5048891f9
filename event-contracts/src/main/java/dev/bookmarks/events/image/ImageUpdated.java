package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.UUID;

/** The owner changed an image's title or description. */
public record ImageUpdated(UUID imageId, UUID ownerId, String title, String slug, String description, Instant updatedAt) implements ImageEvent {

	public static final String TYPE = "ImageUpdated";

	public static final int VERSION = 1;

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public int version() {
		return VERSION;
	}

}
