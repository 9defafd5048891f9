package dev.bookmarks.events.follow;

import java.time.Instant;
import java.util.UUID;

import dev.bookmarks.events.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the wire shape of the follow events and where they travel. */
class FollowEventsJsonTest {

	private static final UUID ADA = UUID.fromString("11111111-2222-4333-8444-555555555555");

	private static final UUID BOB = UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");

	private static final Instant AT = Instant.parse("2026-12-01T10:15:30Z");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void followEventsHaveTheirVersionOneFields() {
		assertThat(json.writeValueAsString(new UserFollowed(ADA, "ada", BOB, "bob", AT)))
			.isEqualTo("{\"followerId\":\"" + ADA + "\",\"followerUsername\":\"ada\",\"followeeId\":\"" + BOB
					+ "\",\"followeeUsername\":\"bob\",\"followedAt\":\"2026-12-01T10:15:30Z\"}");
		assertThat(json.writeValueAsString(new UserUnfollowed(ADA, BOB, AT)))
			.isEqualTo("{\"followerId\":\"" + ADA + "\",\"followeeId\":\"" + BOB
					+ "\",\"unfollowedAt\":\"2026-12-01T10:15:30Z\"}");
	}

	@Test
	void bothTravelOnTheFollowTopicKeyedByTheFollower() {
		UserFollowed followed = new UserFollowed(ADA, "ada", BOB, "bob", AT);
		UserUnfollowed unfollowed = new UserUnfollowed(ADA, BOB, AT);

		assertThat(followed.topic()).isEqualTo(Topics.FOLLOW_EVENTS).isEqualTo(unfollowed.topic());
		assertThat(followed.aggregateId()).isEqualTo(ADA.toString()).isEqualTo(unfollowed.aggregateId());
		assertThat(followed.type()).isEqualTo("UserFollowed");
		assertThat(unfollowed.type()).isEqualTo("UserUnfollowed");
	}

}
