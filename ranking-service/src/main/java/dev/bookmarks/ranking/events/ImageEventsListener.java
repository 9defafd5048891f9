package dev.bookmarks.ranking.events;

import dev.bookmarks.events.Topics;
import dev.bookmarks.platform.kafka.ConsumerProperties;
import dev.bookmarks.ranking.store.RankingStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Likes, titles, thumbnails and deletions, one record at a time in partition order (each image's
 * events share a partition), each applied once by its dedupe key. The listener thread waits for
 * the script, so an error reaches the platform's error handler (retries, then the dead-letter
 * topic), as with the platform's idempotent consumer.
 */
@Component
class ImageEventsListener {

	private final EventApplier applier;

	private final ConsumerProperties consumer;

	ImageEventsListener(EventApplier applier, ConsumerProperties consumer) {
		this.applier = applier;
		this.consumer = consumer;
	}

	@KafkaListener(id = "ranking-images", groupId = "${bookmarks.rankings.consumer-group-prefix:ranking-service}.images",
			topics = Topics.IMAGE_EVENTS)
	void on(ConsumerRecord<String, String> record) {
		applier.apply(applier.read(record.value()), RankingStore.LIVE).block(consumer.applyTimeout());
	}

}
