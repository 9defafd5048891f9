package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.UUID;

/** An image is gone (deleted by its owner or a moderator). */
public record ImageDeleted(UUID imageId, UUID ownerId, UUID deletedBy, Instant deletedAt) implements ImageEvent {

	public static final String TYPE = "ImageDeleted";

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
