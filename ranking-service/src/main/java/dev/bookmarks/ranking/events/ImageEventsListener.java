package dev.bookmarks.ranking.events;

import java.util.List;

import dev.bookmarks.events.Topics;
import dev.bookmarks.platform.consumer.BatchTracing;
import dev.bookmarks.platform.kafka.ConsumerProperties;
import dev.bookmarks.ranking.events.EventApplier.PollOutcome;
import dev.bookmarks.ranking.store.RankingStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Likes, titles, thumbnails and deletions, a poll at a time: each partition's records in order
 * (each image's events share a partition), partitions side by side, each event applied once by its
 * dedupe key ({@link EventApplier#applyEvents}). Every image event of the site passes here; one
 * record and one wait at a time cost several times the CPU of the scripts themselves. The listener
 * thread waits for the poll, so a failure reaches the platform's error handler by the record's
 * index (retries, then the dead-letter topic), as with the platform's idempotent consumer.
 */
@Component
class ImageEventsListener {

	private final EventApplier applier;

	private final ConsumerProperties consumer;

	private final BatchTracing tracing;

	ImageEventsListener(EventApplier applier, ConsumerProperties consumer, BatchTracing tracing) {
		this.applier = applier;
		this.consumer = consumer;
		this.tracing = tracing;
	}

	@KafkaListener(id = "ranking-images", groupId = "${bookmarks.rankings.consumer-group-prefix:ranking-service}.images",
			topics = Topics.IMAGE_EVENTS, batch = "true")
	void on(List<ConsumerRecord<String, String>> records) {
		// Each record gets a consumer span in its producer's trace, as a record listener's observation gives.
		tracing.inConsumerSpans(records, () -> PollOutcome.await(applier.applyEvents(records, RankingStore.LIVE),
				consumer.applyTimeout(), "Image events"));
	}

}
