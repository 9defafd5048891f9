package dev.bookmarks.events.follow;

import java.util.UUID;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.Topics;

/**
 * A follow edge's event: on the follow topic, keyed by the follower's id, so that one person's follows and unfollows
 * stay in order.
 */
public interface FollowEvent extends DomainEvent {

	UUID followerId();

	UUID followeeId();

	@Override
	default String topic() {
		return Topics.FOLLOW_EVENTS;
	}

	@Override
	default String aggregateId() {
		return followerId().toString();
	}

}
