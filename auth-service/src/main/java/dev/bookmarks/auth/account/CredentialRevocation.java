package dev.bookmarks.auth.account;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ends what an account has handed out: every OAuth2 authorization (refresh tokens, unused codes) of
 * the account, so other devices must log in again. Access tokens are self-contained JWTs and die on
 * their own within 15 minutes. Used after a password change or reset.
 */
@Component
public class CredentialRevocation {

	private final JdbcClient jdbc;

	CredentialRevocation(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Revokes every authorization of the account. Spring Authorization Server records the login's
	 * name as the principal, and our logins are named by account id.
	 * @return how many authorizations were revoked
	 */
	@Transactional
	public int revokeAuthorizations(UUID accountId) {
		return jdbc.sql("DELETE FROM oauth2_authorization WHERE principal_name = ?")
			.param(accountId.toString())
			.update();
	}

}
