package dev.bookmarks.auth.role;

import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import dev.bookmarks.auth.account.AccountCreated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes the configured usernames admins: when such an account registers (in the registration's
 * own transaction), and at startup for those that exist already. Every replica does the startup
 * pass; the row lock and the "already has it" check make it happen once. An admin may later take
 * the role away, but the next start gives it back as long as the name stays configured.
 */
@Component
public class InitialAdmins {

	private static final Logger log = LoggerFactory.getLogger(InitialAdmins.class);

	private final Set<String> usernames;

	private final RoleService roles;

	private final JdbcClient jdbc;

	InitialAdmins(InitialAdminProperties properties, RoleService roles, JdbcClient jdbc) {
		this.usernames = properties.usernamesLowerCase();
		this.roles = roles;
		this.jdbc = jdbc;
	}

	@EventListener
	void on(AccountCreated created) {
		if (usernames.contains(created.account().username().toLowerCase(Locale.ROOT))
				&& roles.grant(created.account().id(), Role.ADMIN)) {
			log.info("Granted ADMIN to {} ({}), named in bookmarks.auth.initial-admins, at registration",
					created.account().username(), created.account().id());
		}
	}

	@EventListener(ApplicationReadyEvent.class)
	public void grantToExistingAccounts() {
		for (String username : usernames) {
			jdbc.sql("SELECT id FROM account WHERE lower(username) = ?")
				.param(username)
				.query(UUID.class)
				.optional()
				.filter(id -> roles.grant(id, Role.ADMIN))
				.ifPresent(id -> log.info("Granted ADMIN to {} ({}), named in bookmarks.auth.initial-admins", username,
						id));
		}
	}

}
