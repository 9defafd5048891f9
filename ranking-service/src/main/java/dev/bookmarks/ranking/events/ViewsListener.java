package dev.bookmarks.ranking.events;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.bookmarks.events.Topics;
import dev.bookmarks.platform.kafka.ConsumerProperties;
import dev.bookmarks.ranking.store.RankingStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Counts views. Views are many and commute, so a whole poll is applied at once, its scripts
 * pipelined on the Redis connection, and the listener thread (a Kafka container thread, never an
 * event loop) waits for all of them before the container commits the batch's offsets.
 *
 * <p>A record that fails is reported by its index: the container commits the records before it,
 * then retries it and dead-letters it as the platform's error handler says. The records after it
 * come again on the next poll; those already applied are skipped by their dedupe keys.
 */
@Component
class ViewsListener {

	/** Scripts in flight per batch: enough to fill the connection's pipeline, bounded. */
	static final int IN_FLIGHT = 64;

	private final EventApplier applier;

	private final ConsumerProperties consumer;

	ViewsListener(EventApplier applier, ConsumerProperties consumer) {
		this.applier = applier;
		this.consumer = consumer;
	}

	@KafkaListener(id = "ranking-views", groupId = "${bookmarks.rankings.consumer-group-prefix:ranking-service}.views",
			topics = Topics.IMAGE_VIEWS, batch = "true")
	void on(List<ConsumerRecord<String, String>> records) {
		applyAll(applier, records, RankingStore.LIVE, consumer);
	}

	/** Applies the records, up to {@value #IN_FLIGHT} scripts in flight; throws naming the first record that failed. */
	static void applyAll(EventApplier applier, List<ConsumerRecord<String, String>> records, String target,
			ConsumerProperties consumer) {
		AtomicReference<Failure> first = new AtomicReference<>();
		try {
			Flux.range(0, records.size())
				.flatMap(index -> Mono.fromCallable(() -> applier.read(records.get(index).value()))
					.flatMap(event -> applier.apply(event, target))
					.then()
					.onErrorResume(error -> {
						first.accumulateAndGet(new Failure(index, error),
								(known, next) -> known == null || next.index() < known.index() ? next : known);
						return Mono.empty();
					}), IN_FLIGHT)
				.then()
				.block(consumer.applyTimeout());
		}
		catch (RuntimeException timedOut) {
			// Redis did not answer in time: nothing of the batch is known to be applied; retry from its start.
			throw new BatchListenerFailedException("Views not applied in time", timedOut, 0);
		}
		Failure failure = first.get();
		if (failure != null) {
			throw new BatchListenerFailedException("View not applied: " + failure.error().getMessage(), failure.error(),
					failure.index());
		}
	}

	private record Failure(int index, Throwable error) {
	}

}
