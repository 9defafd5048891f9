package dev.bookmarks.platform.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the platform's error handler set aside: the dead-letter topic of a topic, read from its start. */
public final class DeadLetters {

	private DeadLetters() {
	}

	/** The values dead-lettered from this topic under this key; waits (up to the patience) for the first. */
	public static List<String> of(String topic, String key, Duration patience) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.kafka().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
				"dead-letters-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		List<String> values = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
			consumer.subscribe(List.of(Topics.deadLetterOf(topic)));
			long deadline = System.nanoTime() + patience.toNanos();
			while (values.isEmpty() && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(200)).forEach(record -> {
					if (key.equals(record.key())) {
						values.add(record.value());
					}
				});
			}
		}
		return values;
	}

}
