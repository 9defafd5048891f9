package dev.bookmarks.platform.outbox;

import java.util.UUID;

import dev.bookmarks.platform.tracing.StoredTraceContext;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

import static java.nio.charset.StandardCharsets.UTF_8;

/** A claimed outbox row, ready to publish, with the trace context of the request that wrote it. */
record OutboxRow(UUID id, String topic, String aggregateId, String envelope, int attempts, StoredTraceContext trace) {

	/** The name of the relay's span that continues the writer's trace. */
	static final String PUBLISH_SPAN = "outbox publish";

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
