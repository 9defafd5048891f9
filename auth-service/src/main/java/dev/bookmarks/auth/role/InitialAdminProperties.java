package dev.bookmarks.auth.role;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code bookmarks.auth.initial-admins} (environment variable {@code BOOKMARKS_AUTH_INITIAL_ADMINS}):
 * usernames, comma-separated, whose accounts are given {@code ADMIN} when the service starts, if they
 * exist by then (see {@link InitialAdmins}).
 */
@ConfigurationProperties("bookmarks.auth")
public record InitialAdminProperties(List<String> initialAdmins) {

	public InitialAdminProperties {
		initialAdmins = initialAdmins == null ? List.of()
				: initialAdmins.stream().map(String::strip).filter(name -> !name.isEmpty()).toList();
	}

	/** The usernames in lower case: usernames are unique regardless of case. */
	Set<String> usernamesLowerCase() {
		return initialAdmins.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
	}

}
