package dev.bookmarks.auth.role;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;
import dev.bookmarks.events.user.UserRolesChanged;
import dev.bookmarks.platform.outbox.JdbcOutbox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Grants and removes roles. Each change that alters an account's roles writes a
 * {@link UserRolesChanged} in the same transaction; the next access token of the account (at the
 * latest its next refresh) carries the new roles, as tokens read the account afresh.
 */
@Service
public class RoleService {

	private final JdbcClient jdbc;

	private final AccountRepository accounts;

	private final JdbcOutbox outbox;

	RoleService(JdbcClient jdbc, AccountRepository accounts, JdbcOutbox outbox) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.outbox = outbox;
	}

	/**
	 * Gives the account exactly these roles (plus {@code USER}).
	 * @return the account as it is now, or empty when there is no such account
	 */
	@Transactional
	public Optional<Account> setRoles(UUID accountId, Set<Role> roles) {
		Optional<List<String>> current = lockedRoles(accountId);
		if (current.isEmpty()) {
			return Optional.empty();
		}
		List<String> wanted = Role.canonical(roles);
		if (!wanted.equals(Role.canonical(Role.parse(current.get())))) {
			write(accountId, wanted);
		}
		return accounts.findById(accountId);
	}

	/**
	 * Adds one role, keeping the others.
	 * @return whether the account exists and did not have the role yet
	 */
	@Transactional
	public boolean grant(UUID accountId, Role role) {
		Optional<List<String>> current = lockedRoles(accountId);
		if (current.isEmpty() || current.get().contains(role.name())) {
			return false;
		}
		Set<Role> roles = EnumSet.of(role);
		roles.addAll(Role.parse(current.get()));
		write(accountId, Role.canonical(roles));
		return true;
	}

	private Optional<List<String>> lockedRoles(UUID accountId) {
		return jdbc.sql("SELECT roles FROM account WHERE id = ? FOR UPDATE")
			.param(accountId)
			.query((rs, row) -> List.of((String[]) rs.getArray("roles").getArray()))
			.optional();
	}

	private void write(UUID accountId, List<String> roles) {
		// updated_at moves forward even across replicas with different clocks (see ProfileRepository).
		Instant changedAt = jdbc.sql("""
				UPDATE account
				SET roles = :roles::text[], updated_at = greatest(now(), updated_at + interval '1 microsecond')
				WHERE id = :id
				RETURNING updated_at""")
			.param("id", accountId)
			// Role names are upper-case words, so a PostgreSQL array literal needs no quoting.
			.param("roles", "{" + String.join(",", roles) + "}")
			.query((rs, row) -> rs.getObject("updated_at", OffsetDateTime.class).toInstant())
			.single();
		outbox.append(new UserRolesChanged(accountId, roles, changedAt));
	}

}
