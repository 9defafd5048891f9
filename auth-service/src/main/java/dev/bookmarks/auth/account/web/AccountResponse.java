package dev.bookmarks.auth.account.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;

/** An account as the API shows it to its owner. Never the password hash or the roles. */
public record AccountResponse(UUID id, String username, String email, String firstName, String lastName,
		LocalDate dateOfBirth, String photoUrl, Instant createdAt) {

	public static AccountResponse of(Account account) {
		return new AccountResponse(account.id(), account.username(), account.email(), account.firstName(),
				account.lastName(), account.dateOfBirth(), account.photoUrl(), account.createdAt());
	}

}
