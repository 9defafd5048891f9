package dev.bookmarks.events;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * The JSON envelope of every event on the wire. Consumers route by {@code type} and
 * {@code version}, never by a Java class name, and record {@code eventId} to apply each event
 * once.
 */
public record EventEnvelope(UUID eventId, String type, int version, Instant occurredAt, String aggregateId,
		JsonNode payload) {
}
