package dev.bookmarks.events.user;

import java.time.Instant;
import java.util.UUID;

import dev.bookmarks.events.EventEnvelope;
import dev.bookmarks.events.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the wire shape of UserProfileUpdated: a rename here must fail a test, not a consumer. */
class UserProfileUpdatedJsonTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void payloadHasExactlyTheVersionOneFields() {
		UserProfileUpdated event = new UserProfileUpdated(UUID.fromString("7f0e3c1a-1111-4a5b-9c2d-000000000001"),
				"ada", "Ada Lovelace", "https://bookmarks.example/media/avatars/" + "ab".repeat(32) + ".jpg",
				Instant.parse("2026-11-21T10:15:30.123456Z"));

		assertThat(json.writeValueAsString(event)).isEqualTo("""
				{"userId":"7f0e3c1a-1111-4a5b-9c2d-000000000001","username":"ada","displayName":"Ada Lovelace",\
				"photoUrl":"https://bookmarks.example/media/avatars/%s.jpg",\
				"updatedAt":"2026-11-21T10:15:30.123456Z"}""".formatted("ab".repeat(32)));
	}

	@Test
	void routingFieldsComeFromTheEventNotTheClassName() {
		UserProfileUpdated event = new UserProfileUpdated(UUID.randomUUID(), "ada", "Ada", null, Instant.now());

		assertThat(event.type()).isEqualTo("UserProfileUpdated");
		assertThat(event.version()).isEqualTo(1);
		assertThat(event.topic()).isEqualTo(Topics.USER_EVENTS);
		assertThat(event.aggregateId()).isEqualTo(event.userId().toString());
	}

	@Test
	void versionOneEnvelopeWithoutAPhotoAndWithAFieldAddedLaterStillReads() {
		// No photoUrl at all (a producer that never had one), and a field a newer producer might add.
		String old = """
				{"eventId":"0b9a8f6e-2222-4c3d-8e9f-000000000002","type":"UserProfileUpdated","version":1,
				 "occurredAt":"2026-11-01T08:00:00Z","aggregateId":"7f0e3c1a-1111-4a5b-9c2d-000000000001",
				 "payload":{"userId":"7f0e3c1a-1111-4a5b-9c2d-000000000001","username":"ada",
				            "displayName":"Ada King","updatedAt":"2026-11-01T08:00:00Z","pronouns":"she/her"}}""";

		EventEnvelope envelope = json.readValue(old, EventEnvelope.class);
		UserProfileUpdated event = json.treeToValue(envelope.payload(), UserProfileUpdated.class);

		assertThat(envelope.type()).isEqualTo(UserProfileUpdated.TYPE);
		assertThat(event.userId()).isEqualTo(UUID.fromString("7f0e3c1a-1111-4a5b-9c2d-000000000001"));
		assertThat(event.displayName()).isEqualTo("Ada King");
		assertThat(event.photoUrl()).isNull();
		assertThat(event.updatedAt()).isEqualTo(Instant.parse("2026-11-01T08:00:00Z"));
	}

}
