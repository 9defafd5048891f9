package dev.bookmarks.auth.federation;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads and writes {@code federated_identity}: which account an identity at a provider signs in as. */
@Repository
class FederatedIdentities {

	private final JdbcClient jdbc;

	FederatedIdentities(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<UUID> accountOf(String provider, String subject) {
		return jdbc.sql("SELECT account_id FROM federated_identity WHERE provider = ? AND subject = ?")
			.params(provider, subject)
			.query(UUID.class)
			.optional();
	}

	/** Fails with a {@code DuplicateKeyException} when the identity is linked already. */
	void link(String provider, String subject, UUID accountId) {
		jdbc.sql("INSERT INTO federated_identity (provider, subject, account_id) VALUES (?, ?, ?)")
			.params(provider, subject, accountId)
			.update();
	}

}
