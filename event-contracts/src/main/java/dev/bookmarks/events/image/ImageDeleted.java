package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.UUID;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.Topics;

/** An image is gone (deleted by its owner or a moderator). */
public record ImageDeleted(UUID imageId, UUID ownerId, UUID deletedBy, Instant deletedAt) implements DomainEvent {

	public static final String TYPE = "ImageDeleted";

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
