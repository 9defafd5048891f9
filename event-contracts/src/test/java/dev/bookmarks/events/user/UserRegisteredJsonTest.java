package dev.bookmarks.events.user;

import java.time.Instant;
import java.util.UUID;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the wire shape of UserRegistered: a rename here must fail a test, not a consumer. */
class UserRegisteredJsonTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void payloadHasExactlyTheVersionOneFields() {
		UserRegistered event = new UserRegistered(UUID.fromString("7f0e3c1a-1111-4a5b-9c2d-000000000001"), "ada",
				"Ada Lovelace", null, Instant.parse("2026-11-21T10:15:30Z"));

		assertThat(json.writeValueAsString(event)).isEqualTo("""
				{"userId":"7f0e3c1a-1111-4a5b-9c2d-000000000001","username":"ada","displayName":"Ada Lovelace",\
				"photoUrl":null,"registeredAt":"2026-11-21T10:15:30Z"}""");
	}

	@Test
	void routingFieldsComeFromTheEventNotTheClassName() {
		UserRegistered event = new UserRegistered(UUID.randomUUID(), "ada", "Ada", null, Instant.now());

		assertThat(event.type()).isEqualTo("UserRegistered");
		assertThat(event.version()).isEqualTo(1);
		assertThat(event.topic()).isEqualTo(Topics.USER_EVENTS);
		assertThat(event.aggregateId()).isEqualTo(event.userId().toString());
	}

	@Test
	void versionOneEnvelopeWrittenBeforeFieldsWereAddedStillReads() {
		// As first published: no photoUrl yet, and a field a newer producer might add.
		String old = """
				{"eventId":"0b9a8f6e-2222-4c3d-8e9f-000000000002","type":"UserRegistered","version":1,
				 "occurredAt":"2026-11-01T08:00:00Z","aggregateId":"7f0e3c1a-1111-4a5b-9c2d-000000000001",
				 "payload":{"userId":"7f0e3c1a-1111-4a5b-9c2d-000000000001","username":"ada",
				            "displayName":"Ada","registeredAt":"2026-11-01T08:00:00Z","locale":"en"}}""";

		EventEnvelope envelope = json.readValue(old, EventEnvelope.class);
		UserRegistered event = json.treeToValue(envelope.payload(), UserRegistered.class);

		assertThat(envelope.type()).isEqualTo(UserRegistered.TYPE);
		assertThat(envelope.occurredAt()).isEqualTo(Instant.parse("2026-11-01T08:00:00Z"));
		assertThat(event.username()).isEqualTo("ada");
		assertThat(event.photoUrl()).isNull();
		assertThat(event.registeredAt()).isEqualTo(Instant.parse("2026-11-01T08:00:00Z"));
	}

}
