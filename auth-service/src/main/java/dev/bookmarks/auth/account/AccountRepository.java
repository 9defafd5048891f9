package dev.bookmarks.auth.account;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads and writes the {@code account} table. */
@Repository
public class AccountRepository {

	private static final String COLUMNS = """
			id, username, email, password_hash, first_name, last_name, date_of_birth, photo_url, roles,
			created_at, updated_at""";

	private final JdbcClient jdbc;

	AccountRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Account> findById(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM account WHERE id = ?")
			.param(id)
			.query(AccountRepository::map)
			.optional();
	}

	/**
	 * The account whose username or email equals {@code login}, ignoring case. A username match
	 * wins over an email match; registration keeps the two from colliding in the first place.
	 */
	public Optional<Account> findByLogin(String login) {
		return jdbc.sql("""
				SELECT %s FROM account
				WHERE lower(username) = lower(:login) OR lower(email) = lower(:login)
				ORDER BY lower(username) = lower(:login) DESC
				LIMIT 1""".formatted(COLUMNS))
			.param("login", login)
			.query(AccountRepository::map)
			.optional();
	}

	/** The account whose email equals {@code email}, ignoring case; never a match by username. */
	public Optional<Account> findByEmail(String email) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM account WHERE lower(email) = lower(?)")
			.param(email)
			.query(AccountRepository::map)
			.optional();
	}

	/**
	 * Which of the two are already in use, ignoring case. A username is also taken by someone's
	 * email and the other way round, so that signing in with either never finds two accounts.
	 */
	Set<AccountField> findTaken(String username, String email) {
		Set<AccountField> taken = EnumSet.noneOf(AccountField.class);
		jdbc.sql("""
				SELECT
				  bool_or(lower(username) = lower(:username) OR lower(email) = lower(:username)) AS username_taken,
				  bool_or(lower(email) = lower(:email) OR lower(username) = lower(:email)) AS email_taken
				FROM account
				WHERE lower(username) IN (lower(:username), lower(:email))
				   OR lower(email) IN (lower(:username), lower(:email))""")
			.param("username", username)
			.param("email", email)
			.query((rs, row) -> {
				if (rs.getBoolean("username_taken")) {
					taken.add(AccountField.USERNAME);
				}
				if (rs.getBoolean("email_taken")) {
					taken.add(AccountField.EMAIL);
				}
				return row;
			})
			.list();
		return taken;
	}

	/** Inserts a new account; a taken username or email fails with a {@code DuplicateKeyException}. */
	void insert(Account account) {
		jdbc.sql("""
				INSERT INTO account (id, username, email, password_hash, first_name, last_name, date_of_birth,
				                     photo_url, roles, created_at, updated_at)
				VALUES (:id, :username, :email, :passwordHash, :firstName, :lastName, :dateOfBirth,
				        :photoUrl, :roles::text[], :createdAt, :updatedAt)""")
			.param("id", account.id())
			.param("username", account.username())
			.param("email", account.email())
			.param("passwordHash", account.passwordHash())
			.param("firstName", account.firstName())
			.param("lastName", account.lastName())
			.param("dateOfBirth", account.dateOfBirth())
			.param("photoUrl", account.photoUrl())
			.param("roles", toArrayLiteral(account.roles()))
			.param("createdAt", account.createdAt().atOffset(ZoneOffset.UTC))
			.param("updatedAt", account.updatedAt().atOffset(ZoneOffset.UTC))
			.update();
	}

	/** Replaces the stored hash, for example with a stronger one after a successful login. */
	public void updatePasswordHash(UUID id, String passwordHash) {
		jdbc.sql("UPDATE account SET password_hash = ?, updated_at = now() WHERE id = ?")
			.params(passwordHash, id)
			.update();
	}

	private static Account map(ResultSet rs, int row) throws SQLException {
		return new Account(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("email"),
				rs.getString("password_hash"), rs.getString("first_name"), rs.getString("last_name"),
				rs.getObject("date_of_birth", LocalDate.class), rs.getString("photo_url"), roles(rs.getArray("roles")),
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static List<String> roles(Array array) throws SQLException {
		return array == null ? List.of() : List.of((String[]) array.getArray());
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	// Role names are upper-case words, so a PostgreSQL array literal needs no quoting.
	private static String toArrayLiteral(List<String> roles) {
		return "{" + String.join(",", roles) + "}";
	}

}
