package dev.bookmarks.graph.directory;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.user.UserProfileUpdated;
import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.platform.consumer.ReactiveIdempotentConsumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Mono;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Keeps the directory in step with auth-service's accounts. */
@Component
class UserEventsListener {

	private static final Log log = LogFactory.getLog(UserEventsListener.class);

	private final ReactiveIdempotentConsumer consumer;

	private final UserDirectory directory;

	UserEventsListener(ReactiveIdempotentConsumer consumer, UserDirectory directory) {
		this.consumer = consumer;
		this.directory = directory;
	}

	@KafkaListener(id = "graph-user-directory", groupId = "social-graph-service.user-directory",
			topics = Topics.USER_EVENTS)
	void on(ConsumerRecord<String, String> record) {
		consumer.apply("user-directory", record, this::apply);
	}

	private Mono<Void> apply(EventEnvelope event) {
		return switch (event.type()) {
			case UserRegistered.TYPE -> directory.add(consumer.reader().payload(event, UserRegistered.class));
			case UserProfileUpdated.TYPE -> directory.update(consumer.reader().payload(event, UserProfileUpdated.class));
			default -> {
				log.debug("Ignoring " + event.type() + " " + event.eventId());
				yield Mono.empty();
			}
		};
	}

}
