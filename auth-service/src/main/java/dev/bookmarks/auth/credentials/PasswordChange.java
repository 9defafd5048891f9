package dev.bookmarks.auth.credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;
import dev.bookmarks.auth.account.CredentialRevocation;
import dev.bookmarks.auth.account.LoginSessions;
import dev.bookmarks.auth.account.PasswordPolicy;
import dev.bookmarks.auth.throttle.PasswordChecks;
import dev.bookmarks.platform.web.InvalidRequestException;
import dev.bookmarks.platform.web.Problems.InvalidField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * A person changes their own password, knowing the current one. Afterwards nothing handed out
 * under the old password works for long: every OAuth2 authorization of the account (refresh tokens,
 * unused codes) is revoked in the same transaction as the new hash, and every login session is
 * ended right after. Access tokens already issued expire on their own within 15 minutes.
 */
@Service
public class PasswordChange {

	static final String WRONG_CURRENT = "Your old password was entered incorrectly. Please enter it again.";

	private static final Logger log = LoggerFactory.getLogger(PasswordChange.class);

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final PasswordPolicy policy;

	private final PasswordChecks passwordChecks;

	private final CredentialRevocation revocation;

	private final LoginSessions sessions;

	private final TransactionTemplate transactions;

	PasswordChange(AccountRepository accounts, PasswordEncoder passwordEncoder, PasswordPolicy policy,
			PasswordChecks passwordChecks, CredentialRevocation revocation, LoginSessions sessions,
			TransactionTemplate transactions) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.policy = policy;
		this.passwordChecks = passwordChecks;
		this.revocation = revocation;
		this.sessions = sessions;
		this.transactions = transactions;
	}

	/**
	 * The current password is checked under the login's account lock: a wrong one counts like a
	 * failed login, and while the account is locked every current password is wrong.
	 * @throws InvalidRequestException for a wrong current password or an unacceptable new one
	 */
	public void change(UUID accountId, String currentPassword, String newPassword, String clientAddress) {
		Account account = accounts.findById(accountId)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "The account no longer exists."));
		List<InvalidField> errors = new ArrayList<>();
		if (!passwordChecks.matches(accountId, currentPassword, account.passwordHash(), clientAddress)) {
			errors.add(new InvalidField("currentPassword", WRONG_CURRENT));
		}
		policy.problems(newPassword, account.username(), account.email())
			.forEach(problem -> errors.add(new InvalidField("newPassword", problem)));
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		// Hashing is slow on purpose: do it before the transaction so that it holds no connection.
		String newHash = passwordEncoder.encode(newPassword);
		int revoked = transactions.execute(status -> {
			accounts.updatePasswordHash(accountId, newHash);
			revocation.cancelEmailChange(accountId);
			return revocation.revokeAuthorizations(accountId);
		});
		int ended = sessions.endAll(accountId);
		log.info("Password of account {} changed; revoked {} authorization(s), ended {} login session(s)", accountId,
				revoked, ended);
	}

}
