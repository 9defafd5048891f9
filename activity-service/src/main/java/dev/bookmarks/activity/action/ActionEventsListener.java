package dev.bookmarks.activity.action;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.follow.UserFollowed;
import dev.bookmarks.events.follow.UserUnfollowed;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.events.image.ImageLiked;
import dev.bookmarks.events.image.ImageUnliked;
import dev.bookmarks.events.image.ImageUpdated;
import dev.bookmarks.events.user.UserProfileUpdated;
import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.platform.consumer.EventReader;
import dev.bookmarks.platform.consumer.ReactiveIdempotentConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Mono;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Builds the action stream from user, image and follow events, each applied once: a poll's
 * records at a time, in one transaction of a few multi-row statements whatever the number of
 * records (see {@link Effects} for why the set-based result equals the one-by-one one). The
 * actions a batch created are announced to every instance's live streams after the commit.
 *
 * <p>Exactly once per event ({@link ReactiveIdempotentConsumer#applyAll}): the event ids go into
 * {@code processed_event} in the same transaction, and only the events whose id was new take effect, so a redelivered batch (or one
 * event twice in a batch) changes nothing. When a batch fails, its records are applied one by one,
 * each in its own transaction; the first one that fails is reported to the container's error
 * handler by its index, which commits the records before it, retries from it with back-off and
 * finally dead-letters it alone (at once for a malformed one), then goes on with the rest.
 *
 * <p>Why the listener waits (a plain {@code void} method on a Kafka thread, never an event loop):
 * that keeps each partition's order and lets the error handler retry and dead-letter
 * (ReactiveIdempotentConsumer explains the alternatives).
 */
@Component
class ActionEventsListener {

	/** The processed-event name of this projection. */
	static final String CONSUMER = "actions";

	private final ReactiveIdempotentConsumer consumer;

	private final EventReader reader;

	private final Projections projections;

	private final ActionLog log;

	private final NewActionsChannel channel;

	ActionEventsListener(ReactiveIdempotentConsumer consumer, Projections projections, ActionLog log,
			NewActionsChannel channel) {
		this.consumer = consumer;
		this.reader = consumer.reader();
		this.projections = projections;
		this.log = log;
		this.channel = channel;
	}

	@KafkaListener(id = "activity-user-events", groupId = "activity-service.actions", topics = Topics.USER_EVENTS,
			concurrency = "${bookmarks.activity.consumer-concurrency:3}", batch = "true")
	void onUserEvents(List<ConsumerRecord<String, String>> records) {
		applyAll(records, this::userEvent);
	}

	@KafkaListener(id = "activity-image-events", groupId = "activity-service.actions", topics = Topics.IMAGE_EVENTS,
			concurrency = "${bookmarks.activity.consumer-concurrency:3}", batch = "true")
	void onImageEvents(List<ConsumerRecord<String, String>> records) {
		applyAll(records, this::imageEvent);
	}

	@KafkaListener(id = "activity-follow-events", groupId = "activity-service.actions",
			topics = Topics.FOLLOW_EVENTS, concurrency = "${bookmarks.activity.consumer-concurrency:3}",
			batch = "true")
	void onFollowEvents(List<ConsumerRecord<String, String>> records) {
		applyAll(records, this::followEvent);
	}

	/**
	 * The batch's new events in one transaction (falling back to one by one, see the class comment); the actions
	 * each committed transaction created are announced to every instance's live streams.
	 */
	void applyAll(List<ConsumerRecord<String, String>> records,
			Function<EventEnvelope, Consumer<Effects>> effect) {
		consumer.applyAll(CONSUMER, records, events -> {
			Effects effects = new Effects();
			events.forEach(event -> effect.apply(event).accept(effects));
			return write(effects);
		}, channel::announce);
	}

	private Mono<List<NewAction>> write(Effects effects) {
		return log.lock(effects.keys())
			.then(projections.people(effects.people()))
			.then(projections.images(effects))
			.flatMap(written -> projections.edges(effects.edges)
				.then(projections.alive(effects.imagesToCheck(), written)))
			.flatMap(alive -> log.occurred(effects.occurrences.stream()
				.filter(occurrence -> occurrence.image() == null || alive.contains(occurrence.image()))
				.toList()))
			.flatMap(added -> log.removedUntil(effects.removals).map(removed -> {
				Set<ActionKey> changed = new java.util.LinkedHashSet<>(added);
				changed.addAll(removed);
				return changed;
			}))
			.flatMap(log::derive);
	}

	private Consumer<Effects> userEvent(EventEnvelope event) {
		return switch (event.type()) {
			case UserRegistered.TYPE -> {
				UserRegistered registered = reader.payload(event, UserRegistered.class);
				yield effects -> {
					effects.profile(registered.userId(), registered.username(), registered.photoUrl(),
							registered.registeredAt());
					effects.occurred(ActionKey.of(registered.userId(), Verb.REGISTERED, null),
							registered.registeredAt(), null);
				};
			}
			case UserProfileUpdated.TYPE -> {
				UserProfileUpdated updated = reader.payload(event, UserProfileUpdated.class);
				yield effects -> effects.profile(updated.userId(), updated.username(), updated.photoUrl(),
						updated.updatedAt());
			}
			default -> effects -> {
			};
		};
	}

	private Consumer<Effects> imageEvent(EventEnvelope event) {
		return switch (event.type()) {
			case ImageBookmarked.TYPE -> {
				ImageBookmarked saved = reader.payload(event, ImageBookmarked.class);
				yield effects -> {
					effects.mentioned(saved.ownerId(), saved.ownerUsername());
					effects.image(saved.imageId(), saved.title(), saved.thumbnailUrl(), saved.createdAt());
					effects.occurred(ActionKey.of(saved.ownerId(), Verb.BOOKMARKED, saved.imageId()),
							saved.createdAt(), saved.imageId());
				};
			}
			case ImageUpdated.TYPE -> {
				ImageUpdated updated = reader.payload(event, ImageUpdated.class);
				yield effects -> effects.image(updated.imageId(), updated.title(), null, updated.updatedAt());
			}
			case ImageLiked.TYPE -> {
				ImageLiked liked = reader.payload(event, ImageLiked.class);
				yield effects -> {
					effects.mentioned(liked.userId(), liked.username());
					effects.imageMentioned(liked.imageId());
					effects.occurred(ActionKey.of(liked.userId(), Verb.LIKED, liked.imageId()), liked.likedAt(),
							liked.imageId());
				};
			}
			case ImageUnliked.TYPE -> {
				ImageUnliked unliked = reader.payload(event, ImageUnliked.class);
				yield effects -> effects.removedUntil(ActionKey.of(unliked.userId(), Verb.LIKED, unliked.imageId()),
						unliked.unlikedAt());
			}
			case ImageDeleted.TYPE -> {
				ImageDeleted deleted = reader.payload(event, ImageDeleted.class);
				yield effects -> effects.imageDeleted(deleted.imageId(), deleted.deletedAt());
			}
			default -> effects -> {
			};
		};
	}

	private Consumer<Effects> followEvent(EventEnvelope event) {
		return switch (event.type()) {
			case UserFollowed.TYPE -> {
				UserFollowed followed = reader.payload(event, UserFollowed.class);
				yield effects -> {
					effects.mentioned(followed.followerId(), followed.followerUsername());
					effects.mentioned(followed.followeeId(), followed.followeeUsername());
					effects.edge(followed.followerId(), followed.followeeId(), true, followed.followedAt());
					effects.occurred(ActionKey.of(followed.followerId(), Verb.FOLLOWED, followed.followeeId()),
							followed.followedAt(), null);
				};
			}
			case UserUnfollowed.TYPE -> {
				UserUnfollowed unfollowed = reader.payload(event, UserUnfollowed.class);
				yield effects -> {
					effects.edge(unfollowed.followerId(), unfollowed.followeeId(), false, unfollowed.unfollowedAt());
					effects.removedUntil(ActionKey.of(unfollowed.followerId(), Verb.FOLLOWED, unfollowed.followeeId()),
							unfollowed.unfollowedAt());
				};
			}
			default -> effects -> {
			};
		};
	}

}
