package dev.bookmarks.auth.account.web;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.server.ResponseStatusException;

/** The account a bearer token speaks for: its {@code sub} is the account id. */
public final class CallerAccount {

	private CallerAccount() {
	}

	/** @throws ResponseStatusException 403 when the token names no account (a client acting for itself) */
	public static UUID id(Jwt jwt) {
		try {
			return UUID.fromString(jwt.getSubject());
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "The token does not name an account.");
		}
	}

}
