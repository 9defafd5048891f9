package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.UUID;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.Topics;

/** Someone took back a like; {@code likeCount} is the exact count after it. */
public record ImageUnliked(UUID imageId, UUID ownerId, UUID userId, long likeCount, Instant unlikedAt) implements DomainEvent {

	public static final String TYPE = "ImageUnliked";

	public static final int VERSION = 1;

	@Override
	public String topic() {
		return Topics.IMAGE_EVENTS;
	}

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public int version() {
		return VERSION;
	}

	@Override
	public String aggregateId() {
		return imageId.toString();
	}

}
