package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.UUID;

/** Someone liked an image; {@code likeCount} is the exact count after the like. */
public record ImageLiked(UUID imageId, UUID ownerId, UUID userId, String username, long likeCount, Instant likedAt) implements ImageEvent {

	public static final String TYPE = "ImageLiked";

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
