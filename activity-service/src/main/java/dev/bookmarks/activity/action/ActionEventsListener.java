package dev.bookmarks.activity.action;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * Builds the action stream from user, image and follow events, each applied once. The actions
 * an event created are announced to every instance's live streams after the commit.
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
			concurrency = "${bookmarks.activity.consumer-concurrency:3}")
	void onUserEvent(ConsumerRecord<String, String> record) {
		apply(record, this::userEvent);
	}

	@KafkaListener(id = "activity-image-events", groupId = "activity-service.actions", topics = Topics.IMAGE_EVENTS,
			concurrency = "${bookmarks.activity.consumer-concurrency:3}")
	void onImageEvent(ConsumerRecord<String, String> record) {
		apply(record, this::imageEvent);
	}

	@KafkaListener(id = "activity-follow-events", groupId = "activity-service.actions",
			topics = Topics.FOLLOW_EVENTS, concurrency = "${bookmarks.activity.consumer-concurrency:3}")
	void onFollowEvent(ConsumerRecord<String, String> record) {
		apply(record, this::followEvent);
	}

	/** Applies the event in its transaction, then tells the streams; on a Kafka thread, never an event loop. */
	private void apply(ConsumerRecord<String, String> record,
			Function<EventEnvelope, Mono<List<NewAction>>> effect) {
		List<NewAction> created = Collections.synchronizedList(new ArrayList<>());
		consumer.apply(CONSUMER, record, event -> effect.apply(event).doOnNext(created::addAll).then());
		channel.announce(created);
	}

	private Mono<List<NewAction>> userEvent(EventEnvelope event) {
		return switch (event.type()) {
			case UserRegistered.TYPE -> {
				UserRegistered registered = reader.payload(event, UserRegistered.class);
				yield projections.profile(registered.userId(), registered.username(), registered.photoUrl(),
						registered.registeredAt())
					.then(log.occurred(ActionKey.of(registered.userId(), Verb.REGISTERED, null),
							registered.registeredAt()));
			}
			case UserProfileUpdated.TYPE -> {
				UserProfileUpdated updated = reader.payload(event, UserProfileUpdated.class);
				yield projections.profile(updated.userId(), updated.username(), updated.photoUrl(), updated.updatedAt())
					.then(none());
			}
			default -> none();
		};
	}

	private Mono<List<NewAction>> imageEvent(EventEnvelope event) {
		return switch (event.type()) {
			case ImageBookmarked.TYPE -> {
				ImageBookmarked saved = reader.payload(event, ImageBookmarked.class);
				yield projections.mentioned(saved.ownerId(), saved.ownerUsername())
					.then(projections.image(saved.imageId(), saved.title(), saved.thumbnailUrl(), saved.createdAt()))
					.flatMap(alive -> alive ? log.occurred(
							ActionKey.of(saved.ownerId(), Verb.BOOKMARKED, saved.imageId()), saved.createdAt())
							: none());
			}
			case ImageUpdated.TYPE -> {
				ImageUpdated updated = reader.payload(event, ImageUpdated.class);
				yield projections.image(updated.imageId(), updated.title(), null, updated.updatedAt()).then(none());
			}
			case ImageLiked.TYPE -> {
				ImageLiked liked = reader.payload(event, ImageLiked.class);
				yield projections.mentioned(liked.userId(), liked.username())
					.then(projections.imageMentioned(liked.imageId()))
					.flatMap(alive -> alive ? log.occurred(ActionKey.of(liked.userId(), Verb.LIKED, liked.imageId()),
							liked.likedAt()) : none());
			}
			case ImageUnliked.TYPE -> {
				ImageUnliked unliked = reader.payload(event, ImageUnliked.class);
				yield log.removedUntil(ActionKey.of(unliked.userId(), Verb.LIKED, unliked.imageId()),
						unliked.unlikedAt());
			}
			case ImageDeleted.TYPE -> {
				ImageDeleted deleted = reader.payload(event, ImageDeleted.class);
				yield projections.imageDeleted(deleted.imageId(), deleted.deletedAt())
					.then(log.forgetTarget(deleted.imageId()))
					.then(none());
			}
			default -> none();
		};
	}

	private Mono<List<NewAction>> followEvent(EventEnvelope event) {
		return switch (event.type()) {
			case UserFollowed.TYPE -> {
				UserFollowed followed = reader.payload(event, UserFollowed.class);
				yield projections.mentioned(followed.followerId(), followed.followerUsername())
					.then(projections.mentioned(followed.followeeId(), followed.followeeUsername()))
					.then(projections.edge(followed.followerId(), followed.followeeId(), true, followed.followedAt()))
					.then(log.occurred(ActionKey.of(followed.followerId(), Verb.FOLLOWED, followed.followeeId()),
							followed.followedAt()));
			}
			case UserUnfollowed.TYPE -> {
				UserUnfollowed unfollowed = reader.payload(event, UserUnfollowed.class);
				yield projections.edge(unfollowed.followerId(), unfollowed.followeeId(), false,
						unfollowed.unfollowedAt())
					.then(log.removedUntil(
							ActionKey.of(unfollowed.followerId(), Verb.FOLLOWED, unfollowed.followeeId()),
							unfollowed.unfollowedAt()));
			}
			default -> none();
		};
	}

	private static Mono<List<NewAction>> none() {
		return Mono.just(List.of());
	}

}
