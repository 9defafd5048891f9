package dev.bookmarks.auth.oidc;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The registered clients live in {@code oauth2_registered_client}, so that every replica sees the
 * same ones. The configuration stays the source of truth for the clients it names: each start
 * writes them (insert or update), so a changed secret or redirect URI takes effect with the next
 * deployment. Rows the configuration does not name are left alone.
 */
final class StoredClients {

	private static final Logger log = LoggerFactory.getLogger(StoredClients.class);

	private StoredClients() {
	}

	static RegisteredClientRepository synchronize(JdbcOperations jdbc, TransactionTemplate transactions,
			List<RegisteredClient> configured) {
		JdbcRegisteredClientRepository repository = new JdbcRegisteredClientRepository(jdbc);
		transactions.executeWithoutResult(status -> {
			// Replicas starting together would otherwise both insert the same client and one would fail.
			jdbc.execute("SELECT pg_advisory_xact_lock(hashtext('bookmarks.oauth2_registered_client'))");
			for (RegisteredClient client : configured) {
				repository.save(client);
			}
		});
		log.info("Registered clients {} written to the database",
				configured.stream().map(RegisteredClient::getClientId).toList());
		return repository;
	}

}
