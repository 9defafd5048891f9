package dev.bookmarks.platform.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.bookmarks.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Publishes a record that kept failing to {@code <topic>.DLT} and counts it, by the topic it came
 * from. Every dead letter is an event a projection did not apply: the counter is what an alert
 * watches. The counters of the given topics exist from start-up, at zero, so that "no dead letter
 * yet" is a figure and not a missing series.
 */
class CountingDeadLetterRecoverer extends DeadLetterPublishingRecoverer {

	static final String METER = "bookmarks.consumer.dead.letters";

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	CountingDeadLetterRecoverer(KafkaOperations<?, ?> template, MeterRegistry registry, Collection<String> topics) {
		super(template, (record, error) -> new TopicPartition(Topics.deadLetterOf(record.topic()), record.partition()));
		this.registry = registry;
		topics.forEach(this::counter);
	}

	@Override
	public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, Exception exception) {
		// Counted once published: a failed publish throws, and the record is retried, not lost.
		super.accept(record, consumer, exception);
		counter(record.topic()).increment();
	}

	private Counter counter(String topic) {
		return counters.computeIfAbsent(topic, name -> Counter.builder(METER)
			.description("Records that failed every retry and were published to their dead-letter topic")
			.tag("topic", name)
			.register(registry));
	}

}
