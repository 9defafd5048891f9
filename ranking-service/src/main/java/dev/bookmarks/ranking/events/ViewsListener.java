package dev.bookmarks.ranking.events;

import java.util.List;

import dev.bookmarks.events.Topics;
import dev.bookmarks.platform.kafka.ConsumerProperties;
import dev.bookmarks.ranking.events.EventApplier.PollOutcome;
import dev.bookmarks.ranking.store.RankingStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Counts views. Views are many and commute, so a whole poll is applied at once: each partition's
 * views in offset order, a run of them per script, partitions side by side, their scripts
 * pipelined on the Redis connection. The listener thread (a Kafka container thread, never an
 * event loop) waits for all of them before the container commits the batch's offsets.
 *
 * <p>A view counts once by its partition's offset watermark in Redis, not by a key of its own:
 * Kafka delivers the records of a partition in offset order and redelivers from the last
 * committed offset, so whatever of a poll was applied before a crash, a timeout or a retry is
 * skipped exactly when it comes again.
 *
 * <p>A record that fails is reported by its index: the container commits the records before it,
 * then retries it and dead-letters it as the platform's error handler says. Nothing after it in
 * its partition was applied; the records after it come again on the next poll, those of other
 * partitions that were applied are skipped by their watermarks.
 */
@Component
class ViewsListener {

	private final EventApplier applier;

	private final ConsumerProperties consumer;

	ViewsListener(EventApplier applier, ConsumerProperties consumer) {
		this.applier = applier;
		this.consumer = consumer;
	}

	@KafkaListener(id = "ranking-views", groupId = "${bookmarks.rankings.consumer-group-prefix:ranking-service}.views",
			topics = Topics.IMAGE_VIEWS, batch = "true")
	void on(List<ConsumerRecord<String, String>> records) {
		// Redis not answering in time retries the poll from its start; the watermarks skip what was applied.
		PollOutcome.await(applier.applyViews(records, RankingStore.LIVE, false), consumer.applyTimeout(), "Views");
	}

}
