package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.UUID;

/** Someone took back a like; {@code likeCount} is the exact count after it. */
public record ImageUnliked(UUID imageId, UUID ownerId, UUID userId, long likeCount, Instant unlikedAt) implements ImageEvent {

	public static final String TYPE = "ImageUnliked";

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
