package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.UUID;

/** Someone saved an image: the feed, the directory's image count and the rankings' titles start from this. */
public record ImageBookmarked(UUID imageId, UUID ownerId, String ownerUsername, String title, String slug, String thumbnailUrl, Instant createdAt) implements ImageEvent {

	public static final String TYPE = "ImageBookmarked";

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
