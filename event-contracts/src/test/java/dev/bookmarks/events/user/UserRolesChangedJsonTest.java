package dev.bookmarks.events.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the wire shape of UserRolesChanged: a rename here must fail a test, not a consumer. */
class UserRolesChangedJsonTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void payloadHasExactlyTheVersionOneFields() {
		UserRolesChanged event = new UserRolesChanged(UUID.fromString("7f0e3c1a-1111-4a5b-9c2d-000000000001"),
				List.of("USER", "MODERATOR"), Instant.parse("2026-11-21T10:15:30Z"));

		assertThat(json.writeValueAsString(event)).isEqualTo("""
				{"userId":"7f0e3c1a-1111-4a5b-9c2d-000000000001","roles":["USER","MODERATOR"],\
				"changedAt":"2026-11-21T10:15:30Z"}""");
	}

	@Test
	void routingFieldsComeFromTheEventNotTheClassName() {
		UserRolesChanged event = new UserRolesChanged(UUID.randomUUID(), List.of("USER"), Instant.now());

		assertThat(event.type()).isEqualTo("UserRolesChanged");
		assertThat(event.version()).isEqualTo(1);
		assertThat(event.topic()).isEqualTo(Topics.USER_EVENTS);
		assertThat(event.aggregateId()).isEqualTo(event.userId().toString());
	}

	@Test
	void versionOneEnvelopeWithARoleAndAFieldThisConsumerDoesNotKnowStillReads() {
		// A role added after this consumer was built, and a field a newer producer might add.
		String old = """
				{"eventId":"0b9a8f6e-2222-4c3d-8e9f-000000000003","type":"UserRolesChanged","version":1,
				 "occurredAt":"2026-11-01T08:00:00Z","aggregateId":"7f0e3c1a-1111-4a5b-9c2d-000000000001",
				 "payload":{"userId":"7f0e3c1a-1111-4a5b-9c2d-000000000001","roles":["USER","CURATOR"],
				            "changedAt":"2026-11-01T08:00:00Z","changedBy":"0b9a8f6e-2222-4c3d-8e9f-000000000009"}}""";

		EventEnvelope envelope = json.readValue(old, EventEnvelope.class);
		UserRolesChanged event = json.treeToValue(envelope.payload(), UserRolesChanged.class);

		assertThat(envelope.type()).isEqualTo(UserRolesChanged.TYPE);
		assertThat(event.roles()).containsExactly("USER", "CURATOR");
		assertThat(event.changedAt()).isEqualTo(Instant.parse("2026-11-01T08:00:00Z"));
	}

	@Test
	void aPayloadWithoutRolesReadsAsNoRolesRatherThanNull() {
		String payload = """
				{"userId":"7f0e3c1a-1111-4a5b-9c2d-000000000001","changedAt":"2026-11-01T08:00:00Z"}""";

		UserRolesChanged event = json.readValue(payload, UserRolesChanged.class);

		assertThat(event.roles()).isEmpty();
	}

}
