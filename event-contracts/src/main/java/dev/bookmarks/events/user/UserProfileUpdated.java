package dev.bookmarks.events.user;

import java.time.Instant;
import java.util.UUID;

/**
 * A person changed what others see of them: name or photo (also sent when only private fields
 * such as the email changed, so a consumer never has to guess). Carries the whole public profile,
 * not a diff, so that a consumer can apply the newest one it gets and drop older ones.
 *
 * @param userId the account id
 * @param username the unique username
 * @param displayName first and last name joined, or the username when both are blank
 * @param photoUrl the profile photo, or {@code null}
 * @param updatedAt when the account last changed; strictly increasing per account, so a consumer
 * keeps the profile with the latest {@code updatedAt} and ignores older ones arriving late
 */
public record UserProfileUpdated(UUID userId, String username, String displayName, String photoUrl,
		Instant updatedAt) implements UserEvent {

	public static final String TYPE = "UserProfileUpdated";

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
