package dev.bookmarks.platform.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.bookmarks.events.DomainEvent;
import dev.bookmarks.events.EventEnvelope;
import tools.jackson.databind.json.JsonMapper;

/** Wraps a domain event in its envelope, the JSON that the relay later sends unchanged. */
public class EventSerializer {

	private final JsonMapper json;

	private final Clock clock;

	public EventSerializer(JsonMapper json, Clock clock) {
		this.json = json;
		this.clock = clock;
	}

	public PreparedEvent prepare(DomainEvent event) {
		Instant occurredAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
		EventEnvelope envelope = new EventEnvelope(EventIds.next(), event.type(), event.version(), occurredAt,
				event.aggregateId(), json.valueToTree(event));
		return new PreparedEvent(envelope, json.writeValueAsString(envelope), event.topic());
	}

	/** An envelope with its wire form and destination. */
	public record PreparedEvent(EventEnvelope envelope, String json, String topic) {
	}

}
