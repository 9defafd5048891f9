package dev.bookmarks.graph.directory;

import java.util.List;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.platform.consumer.ReactiveIdempotentConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Mono;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Keeps each person's image count: one more per ImageBookmarked, one fewer per ImageDeleted (never
 * below zero), each event applied once. A poll's records are applied in one transaction of three
 * statements whatever their number ({@link ImageCounts}); every image event of the site passes
 * here, so one transaction per record cost more CPU than the rest of this service. An owner whose
 * registration has not arrived yet is counted on a placeholder row, never dropped.
 */
@Component
class ImageEventsListener {

	static final String CONSUMER = "directory-images";

	private final ReactiveIdempotentConsumer consumer;

	private final UserDirectory directory;

	ImageEventsListener(ReactiveIdempotentConsumer consumer, UserDirectory directory) {
		this.consumer = consumer;
		this.directory = directory;
	}

	@KafkaListener(id = "graph-directory-images", groupId = "social-graph-service.directory-images",
			topics = Topics.IMAGE_EVENTS, batch = "true")
	void on(List<ConsumerRecord<String, String>> records) {
		consumer.applyAll(CONSUMER, records, this::apply);
	}

	private Mono<Void> apply(List<EventEnvelope> events) {
		ImageCounts counts = new ImageCounts();
		for (EventEnvelope event : events) {
			switch (event.type()) {
				case ImageBookmarked.TYPE -> {
					ImageBookmarked bookmarked = consumer.reader().payload(event, ImageBookmarked.class);
					counts.added(bookmarked.ownerId(), bookmarked.ownerUsername());
				}
				case ImageDeleted.TYPE -> counts.removed(consumer.reader().payload(event, ImageDeleted.class).ownerId());
				default -> {
				}
			}
		}
		return directory.countImages(counts);
	}

}
