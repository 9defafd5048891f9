package dev.bookmarks.ranking.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.events.image.ImageLiked;
import dev.bookmarks.events.image.ImageUnliked;
import dev.bookmarks.events.image.ImageUpdated;
import dev.bookmarks.events.image.ImageViewed;
import dev.bookmarks.platform.consumer.EventReader;
import dev.bookmarks.platform.consumer.MalformedEventException;
import dev.bookmarks.ranking.store.RankingStore;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Turns an image event into its one atomic change of the rankings. Shared by the live listeners
 * and the rebuild, so that both count exactly alike.
 */
@Component
public class EventApplier {

	private final EventReader reader;

	private final RankingStore store;

	EventApplier(EventReader reader, RankingStore store) {
		this.reader = reader;
		this.store = store;
	}

	/** Reads a record value; a value that is no event envelope is a {@link MalformedEventException}. */
	public EventEnvelope read(String value) {
		return reader.envelope(value);
	}

	/**
	 * Applies the event to the target generation ({@link RankingStore#LIVE} for the live
	 * consumers); events the rankings do not use are skipped.
	 * @return how many generations it changed; 0 for an event seen before or of no interest
	 */
	public Mono<Long> apply(EventEnvelope event, String target) {
		return Mono.defer(() -> switch (event.type()) {
			case ImageViewed.TYPE -> {
				ImageViewed viewed = reader.payload(event, ImageViewed.class);
				yield store.view(target, event.eventId(), required(event, viewed.imageId()), viewed.viewerId(),
						time(viewed.viewedAt(), event));
			}
			case ImageLiked.TYPE -> {
				ImageLiked liked = reader.payload(event, ImageLiked.class);
				yield store.likes(target, event.eventId(), required(event, liked.imageId()), liked.likeCount(),
						time(null, event));
			}
			case ImageUnliked.TYPE -> {
				ImageUnliked unliked = reader.payload(event, ImageUnliked.class);
				yield store.likes(target, event.eventId(), required(event, unliked.imageId()), unliked.likeCount(),
						time(null, event));
			}
			case ImageBookmarked.TYPE -> {
				ImageBookmarked bookmarked = reader.payload(event, ImageBookmarked.class);
				yield store.display(target, event.eventId(), required(event, bookmarked.imageId()),
						bookmarked.title(), bookmarked.thumbnailUrl(), time(null, event));
			}
			case ImageUpdated.TYPE -> {
				ImageUpdated updated = reader.payload(event, ImageUpdated.class);
				yield store.display(target, event.eventId(), required(event, updated.imageId()), updated.title(),
						null, time(null, event));
			}
			case ImageDeleted.TYPE -> {
				ImageDeleted deleted = reader.payload(event, ImageDeleted.class);
				yield store.deleted(target, event.eventId(), required(event, deleted.imageId()),
						time(deleted.deletedAt(), event));
			}
			default -> Mono.just(0L);
		});
	}

	private static UUID required(EventEnvelope event, UUID imageId) {
		if (imageId == null) {
			throw new MalformedEventException(event.type() + " " + event.eventId() + " without an imageId");
		}
		return imageId;
	}

	/**
	 * The event's own time. Likes and titles are ordered by the envelope's time, which the
	 * producer stamps when the change happens (in its transaction), so a late older count never
	 * replaces a newer one.
	 */
	private static Instant time(Instant payloadTime, EventEnvelope event) {
		Instant time = payloadTime != null ? payloadTime : event.occurredAt();
		if (time == null) {
			throw new MalformedEventException(event.type() + " " + event.eventId() + " without a time");
		}
		return Objects.requireNonNull(time);
	}

}
