package dev.bookmarks.graph.web;

import java.util.UUID;

import dev.bookmarks.platform.security.BookmarksJwt;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, from the access token alone: the id ({@code sub}) and the username claim. The
 * directory may not know the caller yet (their registration event can still be on its way).
 */
public record Caller(UUID id, String username) {

	public static Caller of(Jwt jwt) {
		return new Caller(UUID.fromString(jwt.getSubject()), jwt.getClaimAsString(BookmarksJwt.USERNAME));
	}

}
