package dev.bookmarks.auth.account;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A person's account as stored in the {@code account} table.
 *
 * @param email null for an account from a social login whose provider vouched for no unused address
 * @param roles role names without a prefix, such as {@code USER} or {@code MODERATOR}
 */
public record Account(UUID id, String username, String email, String passwordHash, String firstName,
		String lastName, LocalDate dateOfBirth, String photoUrl, List<String> roles, Instant createdAt,
		Instant updatedAt) {

	public Account {
		roles = List.copyOf(roles);
	}

	/** First and last name joined, or the username when both are blank. */
	public String displayName() {
		String name = String.join(" ", nonBlank(firstName), nonBlank(lastName)).strip();
		return name.isEmpty() ? username : name;
	}

	private static String nonBlank(String value) {
		return value == null ? "" : value.strip();
	}

}
