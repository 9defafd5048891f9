package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.UUID;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.Topics;

/** One read of an image's detail; {@code viewerId} is null for an anonymous view. High volume: on its own topic, never in the outbox. */
public record ImageViewed(UUID imageId, UUID viewerId, Instant viewedAt) implements DomainEvent {

	public static final String TYPE = "ImageViewed";

	public static final int VERSION = 1;

	@Override
	public String topic() {
		return Topics.IMAGE_VIEWS;
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
