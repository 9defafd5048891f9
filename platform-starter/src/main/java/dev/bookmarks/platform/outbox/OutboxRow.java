package dev.bookmarks.platform.outbox;

import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

import static java.nio.charset.StandardCharsets.UTF_8;

/** A claimed outbox row, ready to publish. */
record OutboxRow(UUID id, String topic, String aggregateId, String envelope, int attempts) {

	/** The record as it goes to Kafka: keyed by aggregate, the event id also as a header. */
	ProducerRecord<String, String> toRecord() {
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, aggregateId, envelope);
		record.headers().add(new RecordHeader("eventId", id.toString().getBytes(UTF_8)));
		return record;
	}

	static String describe(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getClass().getSimpleName() + ": " + root.getMessage();
		return message.length() > 1000 ? message.substring(0, 1000) : message;
	}

}
