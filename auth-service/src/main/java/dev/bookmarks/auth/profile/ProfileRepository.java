package dev.bookmarks.auth.profile;

import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Writes the profile columns of the {@code account} table. Every write moves {@code updated_at}
 * forward by at least a microsecond, also when two replicas' clocks disagree, so that consumers of
 * {@code UserProfileUpdated} can keep the newest profile by comparing it.
 */
@Repository
class ProfileRepository {

	static final String NEXT_UPDATED_AT = "greatest(now(), updated_at + interval '1 microsecond')";

	private final JdbcClient jdbc;

	ProfileRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Locks the account's row until the transaction ends; empty when there is no such account. */
	Optional<LockedAccount> lock(UUID id) {
		return jdbc.sql("SELECT photo_sha256 FROM account WHERE id = ? FOR UPDATE")
			.param(id)
			.query((rs, row) -> new LockedAccount(id, trimmed(rs.getString("photo_sha256"))))
			.optional();
	}

	/** Whether another account has this email, or this username, ignoring case. */
	boolean isEmailTakenByAnother(UUID id, String email) {
		return jdbc.sql("""
				SELECT EXISTS (SELECT 1 FROM account
				               WHERE id <> :id AND (lower(email) = lower(:email) OR lower(username) = lower(:email)))""")
			.param("id", id)
			.param("email", email)
			.query(Boolean.class)
			.single();
	}

	void update(UUID id, String firstName, String lastName, LocalDate dateOfBirth) {
		jdbc.sql("""
				UPDATE account
				SET first_name = :firstName, last_name = :lastName, date_of_birth = :dateOfBirth, updated_at = %s
				WHERE id = :id""".formatted(NEXT_UPDATED_AT))
			.param("id", id)
			.param("firstName", firstName)
			.param("lastName", lastName)
			.param("dateOfBirth", dateOfBirth)
			.update();
	}

	/** A taken email fails with a {@code DuplicateKeyException}. */
	void updateEmail(UUID id, String email) {
		jdbc.sql("UPDATE account SET email = :email, updated_at = %s WHERE id = :id".formatted(NEXT_UPDATED_AT))
			.param("id", id)
			.param("email", email)
			.update();
	}

	void updatePhoto(UUID id, String sha256, String photoUrl) {
		jdbc.sql("""
				UPDATE account SET photo_sha256 = :sha256, photo_url = :photoUrl, updated_at = %s
				WHERE id = :id""".formatted(NEXT_UPDATED_AT))
			.param("id", id)
			.param("sha256", sha256)
			.param("photoUrl", photoUrl)
			.update();
	}

	private static String trimmed(String value) {
		return value == null ? null : value.strip();
	}

	/** An account whose row this transaction holds, with the photo it shows now. */
	record LockedAccount(UUID id, String photoSha256) {
	}

}
