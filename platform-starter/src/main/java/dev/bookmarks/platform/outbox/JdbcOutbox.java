package dev.bookmarks.platform.outbox;

import java.sql.Timestamp;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.platform.outbox.EventSerializer.PreparedEvent;
import dev.bookmarks.platform.tracing.EventTracing;
import dev.bookmarks.platform.tracing.StoredTraceContext;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends events to the outbox of a JDBC service. It must run inside the transaction that changes
 * the state the event describes, so it refuses to run without one.
 */
public class JdbcOutbox {

	private final JdbcTemplate jdbc;

	private final EventSerializer serializer;

	private final EventTracing tracing;

	public JdbcOutbox(JdbcTemplate jdbc, EventSerializer serializer, EventTracing tracing) {
		this.jdbc = jdbc;
		this.serializer = serializer;
		this.tracing = tracing;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public EventEnvelope append(DomainEvent event) {
		PreparedEvent prepared = serializer.prepare(event);
		EventEnvelope envelope = prepared.envelope();
		StoredTraceContext trace = tracing.capture();
		jdbc.update(OutboxSql.INSERT, envelope.eventId(), prepared.topic(), envelope.aggregateId(), envelope.type(),
				envelope.version(), prepared.json(), Timestamp.from(envelope.occurredAt()), trace.traceparent(),
				trace.tracestate());
		return envelope;
	}

}
