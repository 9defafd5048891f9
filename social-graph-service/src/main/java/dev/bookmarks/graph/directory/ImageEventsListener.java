package dev.bookmarks.graph.directory;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.image.ImageBookmarked;
import dev.bookmarks.events.image.ImageDeleted;
import dev.bookmarks.platform.consumer.ReactiveIdempotentConsumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Mono;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Keeps each person's image count: one more per ImageBookmarked, one fewer per ImageDeleted, each
 * event applied once. An owner whose registration has not arrived yet is counted on a placeholder
 * row, never dropped.
 */
@Component
class ImageEventsListener {

	private static final Log log = LogFactory.getLog(ImageEventsListener.class);

	static final String CONSUMER = "directory-images";

	private final ReactiveIdempotentConsumer consumer;

	private final UserDirectory directory;

	ImageEventsListener(ReactiveIdempotentConsumer consumer, UserDirectory directory) {
		this.consumer = consumer;
		this.directory = directory;
	}

	@KafkaListener(id = "graph-directory-images", groupId = "social-graph-service.directory-images",
			topics = Topics.IMAGE_EVENTS)
	void on(ConsumerRecord<String, String> record) {
		consumer.apply(CONSUMER, record, this::apply);
	}

	private Mono<Void> apply(EventEnvelope event) {
		return switch (event.type()) {
			case ImageBookmarked.TYPE -> {
				ImageBookmarked bookmarked = consumer.reader().payload(event, ImageBookmarked.class);
				yield directory.countImage(bookmarked.ownerId(), bookmarked.ownerUsername());
			}
			case ImageDeleted.TYPE -> directory.uncountImage(consumer.reader().payload(event, ImageDeleted.class).ownerId())
				.doOnNext(changed -> {
					if (changed == 0) {
						log.info("Image deletion " + event.eventId() + " for an owner with no counted image; count stays 0");
					}
				})
				.then();
			default -> Mono.empty();
		};
	}

}
