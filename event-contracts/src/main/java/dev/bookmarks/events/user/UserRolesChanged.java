package dev.bookmarks.events.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An account's roles changed: an admin granted or removed {@code MODERATOR} or {@code ADMIN}, or
 * the configuration named it an initial admin. Carries the whole new set, not a diff.
 *
 * @param userId the account id
 * @param roles every role the account has now, without a prefix; always includes {@code USER}
 * @param changedAt when the change was made; strictly increasing per account
 */
public record UserRolesChanged(UUID userId, List<String> roles, Instant changedAt) implements UserEvent {

	public static final String TYPE = "UserRolesChanged";

	public static final int VERSION = 1;

	public UserRolesChanged {
		roles = roles == null ? List.of() : List.copyOf(roles);
	}

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public int version() {
		return VERSION;
	}

}
