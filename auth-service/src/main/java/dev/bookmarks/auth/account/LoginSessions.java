package dev.bookmarks.auth.account;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.stereotype.Component;

/**
 * Ends an account's login sessions on this service's pages (Spring Session in PostgreSQL, so on
 * every replica at once). A browser whose session is gone must sign in again before it can
 * authorize any client. The sessions are indexed by principal name, which is the account id.
 * Used after a password change, next to {@link CredentialRevocation}.
 */
@Component
public class LoginSessions {

	private static final Logger log = LoggerFactory.getLogger(LoginSessions.class);

	private final FindByIndexNameSessionRepository<?> sessions;

	LoginSessions(FindByIndexNameSessionRepository<?> sessions) {
		this.sessions = sessions;
	}

	/** @return how many sessions were ended */
	public int endAll(UUID accountId) {
		var found = sessions.findByPrincipalName(accountId.toString()).keySet();
		found.forEach(sessions::deleteById);
		log.debug("Ended {} login session(s) of account {}", found.size(), accountId);
		return found.size();
	}

}
