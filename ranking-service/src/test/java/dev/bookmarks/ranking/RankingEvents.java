package dev.bookmarks.ranking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * Puts events on the real topics exactly as the producers do (an envelope keyed by the image
 * id), with the envelope time the test chooses, and tells when a consumer group has read
 * everything.
 */
final class RankingEvents implements AutoCloseable {

	private final JsonMapper json = JsonMapper.builder().build();

	private final KafkaProducer<String, String> producer;

	private final Admin admin;

	RankingEvents() {
		String bootstrap = TestInfrastructure.kafka().bootstrapServers();
		producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
		admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
		createTopics();
	}

	/**
	 * The services create their topics when they start; a test that sends before any context
	 * started creates them alike (3 partitions, the platform's default), or the producer would
	 * wait for them.
	 */
	private void createTopics() {
		for (String topic : List.of(Topics.IMAGE_EVENTS, Topics.IMAGE_VIEWS, Topics.deadLetterOf(Topics.IMAGE_EVENTS),
				Topics.deadLetterOf(Topics.IMAGE_VIEWS))) {
			try {
				admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
			}
			catch (java.util.concurrent.ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw new IllegalStateException("Cannot create " + topic, ex);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot create " + topic, ex);
			}
		}
	}

	/** The envelope of an event as its producer would write it. */
	EventEnvelope envelope(DomainEvent event, Instant occurredAt) {
		return new EventEnvelope(UUID.randomUUID(), event.type(), event.version(), occurredAt, event.aggregateId(),
				json.valueToTree(event));
	}

	/** Sends each envelope (in order, keyed by its image) and waits for the broker; returns where they landed. */
	List<RecordMetadata> send(String topic, List<EventEnvelope> envelopes) {
		List<java.util.concurrent.Future<RecordMetadata>> sending = new ArrayList<>();
		for (EventEnvelope envelope : envelopes) {
			sending.add(producer.send(new ProducerRecord<>(topic, envelope.aggregateId(), json.writeValueAsString(envelope))));
		}
		List<RecordMetadata> sent = new ArrayList<>();
		try {
			for (java.util.concurrent.Future<RecordMetadata> future : sending) {
				sent.add(future.get(30, TimeUnit.SECONDS));
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot send to " + topic, ex);
		}
		return sent;
	}

	/** As {@link #send}, all to the given partition. */
	List<RecordMetadata> send(String topic, int partition, List<EventEnvelope> envelopes) {
		List<java.util.concurrent.Future<RecordMetadata>> sending = new ArrayList<>();
		for (EventEnvelope envelope : envelopes) {
			sending.add(producer.send(new ProducerRecord<>(topic, partition, envelope.aggregateId(),
					json.writeValueAsString(envelope))));
		}
		List<RecordMetadata> sent = new ArrayList<>();
		try {
			for (java.util.concurrent.Future<RecordMetadata> future : sending) {
				sent.add(future.get(30, TimeUnit.SECONDS));
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot send to " + topic, ex);
		}
		return sent;
	}

	/** An envelope as it travels on a topic. */
	String json(EventEnvelope envelope) {
		return json.writeValueAsString(envelope);
	}

	/** Raw values under one key, sent together (so that they come in one poll), then flushed. */
	void sendRaw(String topic, String key, List<String> values) {
		values.forEach(value -> producer.send(new ProducerRecord<>(topic, key, value)));
		producer.flush();
	}

	RecordMetadata sendRaw(String topic, String key, String value) {
		try {
			return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot send to " + topic, ex);
		}
	}

	/** The record a consumer gets for an envelope that landed where {@code sent} says. */
	ConsumerRecord<String, String> record(RecordMetadata sent, EventEnvelope envelope) {
		return new ConsumerRecord<>(sent.topic(), sent.partition(), sent.offset(), envelope.aggregateId(),
				json.writeValueAsString(envelope));
	}

	/**
	 * Moves the group's committed offsets back (or forth), so that Kafka delivers the records from
	 * there again, as after a crash before the commit. The group's consumers must be stopped: the
	 * broker refuses while the group still has members, so this retries until they have left.
	 */
	void rewind(String group, Map<TopicPartition, Long> offsets) {
		Map<TopicPartition, OffsetAndMetadata> to = new java.util.HashMap<>();
		offsets.forEach((partition, offset) -> to.put(partition, new OffsetAndMetadata(offset)));
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			admin.alterConsumerGroupOffsets(group, to).all().get(30, TimeUnit.SECONDS);
			return true;
		});
	}

	/** Waits until the group has committed every record of the topic that exists now. */
	void awaitConsumed(String group, String topic) {
		Map<TopicPartition, Long> end = endOffsets(topic);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
			Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
			for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
				OffsetAndMetadata offset = committed.get(partition.getKey());
				if ((offset == null ? 0 : offset.offset()) < partition.getValue()) {
					return false;
				}
			}
			return true;
		});
	}

	/** Both topics of the rankings, for the groups of this consumer-group prefix. */
	void awaitConsumed(String groupPrefix) {
		awaitConsumed(groupPrefix + ".images", Topics.IMAGE_EVENTS);
		awaitConsumed(groupPrefix + ".views", Topics.IMAGE_VIEWS);
	}

	Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
		return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
	}

	Map<TopicPartition, Long> endOffsets(String topic) {
		try {
			int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
				.get(topic).partitions().size();
			Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
			for (int partition = 0; partition < partitions; partition++) {
				latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
			}
			Map<TopicPartition, Long> end = new java.util.HashMap<>();
			for (Map.Entry<TopicPartition, ListOffsetsResultInfo> entry : admin.listOffsets(latest).all()
				.get(30, TimeUnit.SECONDS).entrySet()) {
				end.put(entry.getKey(), entry.getValue().offset());
			}
			return end;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	Admin admin() {
		return admin;
	}

	@Override
	public void close() {
		producer.close(Duration.ofSeconds(5));
		admin.close(Duration.ofSeconds(5));
	}

}
