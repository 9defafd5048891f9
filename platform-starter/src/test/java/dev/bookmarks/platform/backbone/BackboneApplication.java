package dev.bookmarks.platform.backbone;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import dev.bookmarks.events.user.UserRegistered;
import dev.bookmarks.platform.consumer.ReactiveIdempotentConsumer;
import dev.bookmarks.platform.outbox.ReactiveOutbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

/** A minimal service on the platform starter: one state change with its event, one projection. */
@SpringBootApplication
public class BackboneApplication {

	/** Username whose projection always fails, to exercise retries and the dead-letter topic. */
	static final String EXPLODING = "explode";

	@Component
	static class Greetings {

		private final DatabaseClient db;

		private final ReactiveOutbox outbox;

		private final TransactionalOperator tx;

		Greetings(DatabaseClient db, ReactiveOutbox outbox, TransactionalOperator tx) {
			this.db = db;
			this.outbox = outbox;
			this.tx = tx;
		}

		/** Stores a greeting and its event in one transaction. */
		Mono<EventEnvelope> greet(String name) {
			UUID id = UUID.randomUUID();
			return db.sql("INSERT INTO greeting (id, name) VALUES ($1, $2)")
				.bind(0, id)
				.bind(1, name)
				.then()
				.then(outbox.append(new UserRegistered(id, name, name, null, Instant.now())))
				.as(tx::transactional);
		}

		/** The same, but the transaction fails after the outbox row was written. */
		Mono<EventEnvelope> greetThenFail(String name) {
			return greet(name).then(Mono.<EventEnvelope>error(new IllegalStateException("rolled back")))
				.as(tx::transactional);
		}

	}

	@Component
	static class GreetingProjection {

		static final AtomicInteger explosions = new AtomicInteger();

		private final ReactiveIdempotentConsumer consumer;

		private final DatabaseClient db;

		GreetingProjection(ReactiveIdempotentConsumer consumer, DatabaseClient db) {
			this.consumer = consumer;
			this.db = db;
		}

		@KafkaListener(id = "backbone-projection", groupId = "backbone-projection", topics = Topics.USER_EVENTS)
		void on(ConsumerRecord<String, String> record) {
			consumer.apply("greeting-projection", record, event -> {
				UserRegistered greeting = consumer.reader().payload(event, UserRegistered.class);
				Mono<Void> count = db.sql("""
						INSERT INTO greeting_seen (name, times) VALUES ($1, 1)
						ON CONFLICT (name) DO UPDATE SET times = greeting_seen.times + 1""")
					.bind(0, greeting.username())
					.then();
				if (EXPLODING.equals(greeting.username())) {
					return count.then(Mono.fromRunnable(explosions::incrementAndGet))
						.then(Mono.error(new IllegalStateException("projection failed for " + greeting.username())));
				}
				return count;
			});
		}

	}

}
