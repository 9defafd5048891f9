package dev.bookmarks.events.user;

import java.time.Instant;
import java.util.UUID;

/**
 * A person created an account (by the registration form or by a first social login).
 *
 * @param userId the account id
 * @param username the unique username
 * @param displayName first and last name joined, or the username when both are blank
 * @param photoUrl the profile photo, or {@code null}
 * @param registeredAt when the account was created
 */
public record UserRegistered(UUID userId, String username, String displayName, String photoUrl,
		Instant registeredAt) implements UserEvent {

	public static final String TYPE = "UserRegistered";

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
