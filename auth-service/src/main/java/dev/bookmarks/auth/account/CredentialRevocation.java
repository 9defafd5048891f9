package dev.bookmarks.auth.account;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ends what an account has handed out: every OAuth2 authorization (refresh tokens, unused codes) of
 * the account, so other devices must log in again (access tokens are self-contained JWTs and die on
 * their own within 15 minutes); outstanding password reset links; a pending email change. Used
 * after a password change or reset, and around email changes.
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

	/**
	 * Ends the account's unused password reset links: one mailed to an address the account is
	 * leaving must not open it any more.
	 * @return how many links were ended
	 */
	@Transactional
	public int cancelPasswordResets(UUID accountId) {
		return jdbc.sql("DELETE FROM password_reset_token WHERE account_id = ?").param(accountId).update();
	}

	/**
	 * Ends the account's pending email change: whoever asked for it with a guessed or stolen
	 * password must not finish it after the owner chose a new one.
	 * @return whether there was one
	 */
	@Transactional
	public boolean cancelEmailChange(UUID accountId) {
		return jdbc.sql("DELETE FROM email_change WHERE account_id = ?").param(accountId).update() > 0;
	}

}
