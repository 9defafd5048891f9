package dev.bookmarks.auth.role;

import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes the configured usernames admins, once at startup and only if their accounts exist by
 * then. Never at registration: whoever registered a listed name first (by the form or a social
 * sign-in) would have become an admin. Runs before the web server takes requests, so nobody can
 * register a listed name during the startup either. A listed name without an account is logged as
 * a warning: register it, then restart. Every replica does the startup pass; the row lock and the
 * "already has it" check make it happen once. An admin may later take the role away, but the next
 * start gives it back as long as the name stays configured.
 */
@Component
public class InitialAdmins implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(InitialAdmins.class);

	private final Set<String> usernames;

	private final RoleService roles;

	private final JdbcClient jdbc;

	InitialAdmins(InitialAdminProperties properties, RoleService roles, JdbcClient jdbc) {
		this.usernames = properties.usernamesLowerCase();
		this.roles = roles;
		this.jdbc = jdbc;
	}

	/** After every bean is ready (the schema migrated), before the web server starts. */
	@Override
	public void afterSingletonsInstantiated() {
		grantToExistingAccounts();
	}

	public void grantToExistingAccounts() {
		for (String username : usernames) {
			var id = jdbc.sql("SELECT id FROM account WHERE lower(username) = ?")
				.param(username)
				.query(UUID.class)
				.optional();
			if (id.isEmpty()) {
				log.warn("{} is named in bookmarks.auth.initial-admins, but no account has that username: not made "
						+ "an admin. Register it, then restart the service.", username);
			}
			else if (roles.grant(id.get(), Role.ADMIN)) {
				log.info("Granted ADMIN to {} ({}), named in bookmarks.auth.initial-admins", username, id.get());
			}
		}
	}

}
