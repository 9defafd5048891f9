package dev.bookmarks.events.follow;

import java.time.Instant;
import java.util.UUID;

/** Someone stopped following someone. Sent once per removed edge. */
public record UserUnfollowed(UUID followerId, UUID followeeId, Instant unfollowedAt) implements FollowEvent {

	public static final String TYPE = "UserUnfollowed";

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
