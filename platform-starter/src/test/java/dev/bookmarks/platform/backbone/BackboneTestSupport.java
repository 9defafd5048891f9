package dev.bookmarks.platform.backbone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import dev.bookmarks.platform.test.ServiceTestProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Wiring of the backbone tests to real PostgreSQL and Kafka, and reading topics back. */
final class BackboneTestSupport {

	private BackboneTestSupport() {
	}

	static void database(DynamicPropertyRegistry registry) {
		ServiceTestProperties.r2dbc(registry, "backbone");
		registry.add("spring.flyway.locations", () -> "classpath:db/platform,classpath:db/backbone");
		registry.add("bookmarks.outbox.initial-backoff", () -> "100ms");
		registry.add("bookmarks.outbox.max-backoff", () -> "500ms");
		registry.add("bookmarks.kafka.consumer.retries", () -> "2");
		registry.add("bookmarks.kafka.consumer.initial-backoff", () -> "50ms");
	}

	/** How often the test projection applied a greeting to this name. */
	static int timesSeen(DatabaseClient db, String name) {
		return db.sql("SELECT times FROM greeting_seen WHERE name = $1")
			.bind(0, name)
			.map(row -> row.get(0, Integer.class))
			.one()
			.defaultIfEmpty(0)
			.block();
	}

	/** {@code pending}, {@code sent} or {@code parked}. */
	static String outboxState(DatabaseClient db, UUID eventId) {
		return db.sql("""
				SELECT CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN parked_at IS NOT NULL THEN 'parked'
				ELSE 'pending' END FROM outbox WHERE id = $1""")
			.bind(0, eventId)
			.map(row -> row.get(0, String.class))
			.one()
			.block();
	}

	static int outboxAttempts(DatabaseClient db, UUID eventId) {
		return db.sql("SELECT attempts FROM outbox WHERE id = $1")
			.bind(0, eventId)
			.map(row -> row.get(0, Integer.class))
			.one()
			.block();
	}

	/** Reads a topic from the beginning until the wanted records are there or the time is up. */
	static List<ConsumerRecord<String, String>> readUntil(String bootstrap, String topic,
			Predicate<List<ConsumerRecord<String, String>>> done, Duration timeout) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		List<ConsumerRecord<String, String>> seen = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (!done.test(seen) && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
			}
		}
		return seen;
	}

}
