package dev.bookmarks.events.follow;

import java.time.Instant;
import java.util.UUID;

/**
 * Someone started following someone. Sent once per new edge (following again changes nothing and sends nothing).
 * The usernames travel along so that a consumer can show the edge before it has seen either account's registration.
 */
public record UserFollowed(UUID followerId, String followerUsername, UUID followeeId, String followeeUsername,
		Instant followedAt) implements FollowEvent {

	public static final String TYPE = "UserFollowed";

	public static final int VERSION = 1;

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public int version() {
		return VERSION;
	}

}
