package dev.bookmarks.auth.role.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;

/** An account as an admin sees it: the profile plus its roles. Never the password hash. */
record AdminAccountResponse(UUID id, String username, String email, String firstName, String lastName,
		LocalDate dateOfBirth, String photoUrl, List<String> roles, Instant createdAt, Instant updatedAt) {

	static AdminAccountResponse of(Account account) {
		return new AdminAccountResponse(account.id(), account.username(), account.email(), account.firstName(),
				account.lastName(), account.dateOfBirth(), account.photoUrl(), account.roles(), account.createdAt(),
				account.updatedAt());
	}

}
