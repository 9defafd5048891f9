package dev.bookmarks.platform.consumer;

import dev.bookmarks.events.EventEnvelope;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Reads envelopes and payloads from record values; anything unreadable is a malformed event. */
public class EventReader {

	private final JsonMapper json;

	public EventReader(JsonMapper json) {
		this.json = json;
	}

	public EventEnvelope envelope(String value) {
		if (value == null || value.isBlank()) {
			throw new MalformedEventException("Empty record value");
		}
		EventEnvelope envelope;
		try {
			envelope = json.readValue(value, EventEnvelope.class);
		}
		catch (JacksonException ex) {
			throw new MalformedEventException("Not an event envelope: " + ex.getOriginalMessage(), ex);
		}
		if (envelope.eventId() == null || envelope.type() == null || envelope.payload() == null
				|| envelope.version() < 1) {
			throw new MalformedEventException("Envelope without eventId, type, version or payload");
		}
		return envelope;
	}

	public <T> T payload(EventEnvelope envelope, Class<T> type) {
		try {
			return json.treeToValue(envelope.payload(), type);
		}
		catch (JacksonException ex) {
			throw new MalformedEventException(
					"Payload of " + envelope.type() + " v" + envelope.version() + " unreadable: " + ex.getOriginalMessage(),
					ex);
		}
	}

}
