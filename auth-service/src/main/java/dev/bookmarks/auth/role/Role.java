package dev.bookmarks.auth.role;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The roles an account can have. Everyone is a {@code USER}; an admin grants the others. The names
 * travel in access tokens ({@code roles}) and events, without the {@code ROLE_} prefix.
 */
public enum Role {

	USER, MODERATOR, ADMIN;

	public static Optional<Role> named(String name) {
		return Arrays.stream(values()).filter(role -> role.name().equals(name)).findFirst();
	}

	/** The names in this enum's order, with {@code USER} always included. */
	public static List<String> canonical(Collection<Role> roles) {
		Set<Role> all = EnumSet.of(USER);
		all.addAll(roles);
		return all.stream().map(Role::name).toList();
	}

	static Set<Role> parse(Collection<String> names) {
		return names.stream().map(name -> named(name).orElseThrow()).collect(Collectors.toCollection(
				() -> EnumSet.noneOf(Role.class)));
	}

}
