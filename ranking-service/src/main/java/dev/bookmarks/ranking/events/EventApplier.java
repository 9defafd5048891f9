package dev.bookmarks.ranking.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

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
import dev.bookmarks.ranking.store.View;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Turns an image event into its one atomic change of the rankings. Shared by the live listeners
 * and the rebuild, so that both count exactly alike.
 */
@Component
public class EventApplier {

	/** Views per script run: a poll (500 records at most) is a few runs; each keeps Redis busy well under a millisecond. */
	static final int VIEWS_PER_SCRIPT = 100;

	/** Partitions of a poll applied at once, their script runs pipelined on the connection. */
	static final int PARTITIONS_IN_FLIGHT = 64;

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
	 * Applies an image event (not a view: see {@link #applyViews}) to the target generation
	 * ({@link RankingStore#LIVE} for the live consumers), once by its event id; events the
	 * rankings do not use are skipped.
	 * @return how many generations it changed; 0 for an event seen before or of no interest
	 */
	public Mono<Long> apply(EventEnvelope event, String target) {
		return Mono.defer(() -> switch (event.type()) {
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

	/**
	 * Applies a poll of the views topic to the target generation. Each partition's views go in
	 * offset order, {@value #VIEWS_PER_SCRIPT} per script run, one run after the other; partitions
	 * run side by side, up to {@value #PARTITIONS_IN_FLIGHT} at once. A run counts only the views
	 * above its partition's watermark, so a poll that is applied again after a part of it was
	 * (a crash before the offset commit, a timeout, a retry) counts each view once.
	 *
	 * <p>Within a partition nothing after a record that fails is applied: the watermark must not
	 * pass a record that was not counted, or its retry would be skipped. The failure reported is
	 * the first by index in {@code records}; every record before it is applied (a partition's
	 * records keep their order in a poll).
	 * @param skipMalformed true to skip records that are no view (the rebuild: they were
	 * dead-lettered when first consumed); false to stop their partition at them (the live consumer)
	 */
	public Mono<PollOutcome> applyViews(List<ConsumerRecord<String, String>> records, String target,
			boolean skipMalformed) {
		Map<TopicPartition, List<Integer>> partitions = byPartition(records);
		AtomicInteger skipped = new AtomicInteger();
		return Flux.fromIterable(partitions.entrySet())
			.flatMap(partition -> applyPartition(records, partition.getKey(), partition.getValue(), target,
					skipMalformed, skipped), PARTITIONS_IN_FLIGHT)
			.reduce((known, next) -> next.failedAt() < known.failedAt() ? next : known)
			.map(first -> new PollOutcome(skipped.get(), first.failedAt(), first.failure()))
			.switchIfEmpty(Mono.fromSupplier(() -> new PollOutcome(skipped.get(), -1, null)));
	}

	/** One partition's records, in order; emits its failure, if any. */
	private Mono<PollOutcome> applyPartition(List<ConsumerRecord<String, String>> records, TopicPartition partition,
			List<Integer> indexes, String target, boolean skipMalformed, AtomicInteger skipped) {
		List<Integer> viewIndexes = new ArrayList<>();
		List<View> views = new ArrayList<>();
		PollOutcome stop = null;
		for (int index : indexes) {
			ConsumerRecord<String, String> record = records.get(index);
			try {
				EventEnvelope event = read(record.value());
				if (ImageViewed.TYPE.equals(event.type())) {
					ImageViewed viewed = reader.payload(event, ImageViewed.class);
					views.add(new View(record.offset(), required(event, viewed.imageId()), viewed.viewerId(),
							time(viewed.viewedAt(), event)));
					viewIndexes.add(index);
				}
			}
			catch (MalformedEventException ex) {
				if (!skipMalformed) {
					stop = new PollOutcome(0, index, ex);
					break;
				}
				skipped.incrementAndGet();
			}
		}
		Mono<PollOutcome> failure = stop != null ? Mono.just(stop) : Mono.empty();
		List<Integer> starts = new ArrayList<>();
		for (int start = 0; start < views.size(); start += VIEWS_PER_SCRIPT) {
			starts.add(start);
		}
		return Flux.fromIterable(starts)
			.concatMap(start -> Mono
				.defer(() -> store.views(target, partition.topic(), partition.partition(),
						views.subList(start, Math.min(views.size(), start + VIEWS_PER_SCRIPT))))
				.onErrorMap(error -> new RunFailed(viewIndexes.get(start), error)))
			.then(failure)
			.onErrorResume(RunFailed.class, failed -> Mono.just(new PollOutcome(0, failed.index, failed.getCause())));
	}

	/**
	 * Applies a poll of image events (not views) to the target generation: each partition's records
	 * in offset order (an image's events share a partition), partitions side by side, their script
	 * runs pipelined on the connection instead of one record and one wait at a time. Within a
	 * partition nothing after a record that fails is applied; the failure reported is the first by
	 * index. Every event is applied once by its id, so records applied before a failure or a retry
	 * of the whole poll change nothing when they come again.
	 */
	public Mono<PollOutcome> applyEvents(List<ConsumerRecord<String, String>> records, String target) {
		return Flux.fromIterable(byPartition(records).values())
			.flatMap(indexes -> Flux.fromIterable(indexes)
				.concatMap(index -> Mono.defer(() -> apply(read(records.get(index).value()), target))
					.onErrorMap(error -> new RunFailed(index, error)))
				.then(Mono.<PollOutcome>empty())
				.onErrorResume(RunFailed.class, failed -> Mono.just(new PollOutcome(0, failed.index, failed.getCause()))),
					PARTITIONS_IN_FLIGHT)
			.reduce((known, next) -> next.failedAt() < known.failedAt() ? next : known)
			.switchIfEmpty(Mono.fromSupplier(() -> new PollOutcome(0, -1, null)));
	}

	/** The indexes of a poll's records by partition, each partition's in offset order. */
	private static Map<TopicPartition, List<Integer>> byPartition(List<ConsumerRecord<String, String>> records) {
		Map<TopicPartition, List<Integer>> partitions = new LinkedHashMap<>();
		for (int index = 0; index < records.size(); index++) {
			ConsumerRecord<String, String> record = records.get(index);
			partitions.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), key -> new ArrayList<>())
				.add(index);
		}
		return partitions;
	}

	/**
	 * What became of a poll.
	 * @param skipped records skipped as no view
	 * @param failedAt index of the first record not applied because it failed; -1 when none did
	 * @param failure why it failed
	 */
	public record PollOutcome(int skipped, int failedAt, Throwable failure) {

		public boolean failed() {
			return failure != null;
		}

		/**
		 * Waits for a poll's outcome on a listener thread and reports a failed record to the
		 * container's error handler by its index (it commits the records before it, retries it, then
		 * dead-letters it). A poll not applied in time is retried from its start.
		 */
		static void await(Mono<PollOutcome> poll, Duration timeout, String what) {
			PollOutcome outcome;
			try {
				outcome = poll.block(timeout);
			}
			catch (RuntimeException timedOut) {
				throw new BatchListenerFailedException(what + " not applied in time", timedOut, 0);
			}
			if (outcome != null && outcome.failed()) {
				throw new BatchListenerFailedException(what + " not applied: " + outcome.failure().getMessage(),
						outcome.failure(), outcome.failedAt());
			}
		}

	}

	/** A script run that failed, by the index of its first record; stops its partition (concatMap). */
	private static final class RunFailed extends RuntimeException {

		private final int index;

		RunFailed(int index, Throwable cause) {
			super(cause);
			this.index = index;
		}

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
