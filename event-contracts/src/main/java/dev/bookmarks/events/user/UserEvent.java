package dev.bookmarks.events.user;

import java.util.UUID;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.Topics;

/** An account's event: on the user topic, keyed by the user id. */
public interface UserEvent extends DomainEvent {

	UUID userId();

	@Override
	default String topic() {
		return Topics.USER_EVENTS;
	}

	@Override
	default String aggregateId() {
		return userId().toString();
	}

}
