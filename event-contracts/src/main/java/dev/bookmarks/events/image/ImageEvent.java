package dev.bookmarks.events.image;

import java.util.UUID;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.Topics;

/** An image's lifecycle event: on the image topic, keyed by the image id. */
public interface ImageEvent extends DomainEvent {

	UUID imageId();

	@Override
	default String topic() {
		return Topics.IMAGE_EVENTS;
	}

	@Override
	default String aggregateId() {
		return imageId().toString();
	}

}
