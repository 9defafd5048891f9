package dev.bookmarks.bookmark.image;

import java.util.List;
import java.util.UUID;

import org.springframework.security.oauth2.jwt.Jwt;

/** Who is calling, from the access token. */
public record Caller(UUID id, String username, List<String> roles) {

	public static Caller of(Jwt jwt) {
		List<String> roles = jwt.getClaimAsStringList("roles");
		return new Caller(UUID.fromString(jwt.getSubject()), jwt.getClaimAsString("username"),
				roles == null ? List.of() : roles);
	}

	boolean isModerator() {
		return roles.contains("MODERATOR") || roles.contains("ADMIN");
	}

}
