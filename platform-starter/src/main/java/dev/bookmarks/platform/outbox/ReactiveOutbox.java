package dev.bookmarks.platform.outbox;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.platform.outbox.EventSerializer.PreparedEvent;
import dev.bookmarks.platform.tracing.EventTracing;
import dev.bookmarks.platform.tracing.ReactorObservations;
import dev.bookmarks.platform.tracing.StoredTraceContext;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;

/**
 * Appends events to the outbox of an R2DBC service. Call it inside the transaction that changes
 * the state the event describes: both commit or neither does.
 */
public class ReactiveOutbox {

	private static final String INSERT = OutboxSql.numbered(OutboxSql.INSERT);

	private final DatabaseClient db;

	private final EventSerializer serializer;

	private final EventTracing tracing;

	public ReactiveOutbox(DatabaseClient db, EventSerializer serializer, EventTracing tracing) {
		this.db = db;
		this.serializer = serializer;
		this.tracing = tracing;
	}

	/** Writes the event's outbox row in the caller's transaction and returns its envelope. */
	public Mono<EventEnvelope> append(DomainEvent event) {
		return Mono.deferContextual(context -> {
			PreparedEvent prepared = serializer.prepare(event);
			EventEnvelope envelope = prepared.envelope();
			StoredTraceContext trace = tracing.capture(ReactorObservations.of(context));
			return db.sql(INSERT)
				.bind(0, envelope.eventId())
				.bind(1, prepared.topic())
				.bind(2, envelope.aggregateId())
				.bind(3, envelope.type())
				.bind(4, envelope.version())
				.bind(5, prepared.json())
				.bind(6, envelope.occurredAt().atOffset(java.time.ZoneOffset.UTC))
				.bind(7, Parameter.fromOrEmpty(trace.traceparent(), String.class))
				.bind(8, Parameter.fromOrEmpty(trace.tracestate(), String.class))
				.fetch()
				.rowsUpdated()
				.thenReturn(envelope);
		});
	}

}
