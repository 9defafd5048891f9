package dev.bookmarks.auth.account.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bookmarks.auth.account.Account;

/**
 * An account as the API shows it to its owner. Never the password hash or the roles.
 *
 * @param pendingEmail only in the answer to an email change: the address asked for, which becomes
 * {@code email} when the link mailed to it is opened
 */
public record AccountResponse(UUID id, String username, String email, String firstName, String lastName,
		LocalDate dateOfBirth, String photoUrl, Instant createdAt,
		@JsonInclude(JsonInclude.Include.NON_NULL) String pendingEmail) {

	public static AccountResponse of(Account account) {
		return new AccountResponse(account.id(), account.username(), account.email(), account.firstName(),
				account.lastName(), account.dateOfBirth(), account.photoUrl(), account.createdAt(), null);
	}

	public AccountResponse withPendingEmail(String pendingEmail) {
		return new AccountResponse(id, username, email, firstName, lastName, dateOfBirth, photoUrl, createdAt,
				pendingEmail);
	}

}
