package dev.bookmarks.events.image;

import java.time.Instant;
import java.util.UUID;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.Topics;

/** Someone saved an image: the feed, the directory's image count and the rankings' titles start from this. */
public record ImageBookmarked(UUID imageId, UUID ownerId, String ownerUsername, String title, String slug, String thumbnailUrl, Instant createdAt) implements DomainEvent {

	public static final String TYPE = "ImageBookmarked";

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
