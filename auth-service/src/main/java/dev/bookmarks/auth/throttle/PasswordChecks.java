package dev.bookmarks.auth.throttle;

import java.util.Optional;
import java.util.UUID;

import dev.bookmarks.auth.security.PasswordHashingBusyException;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Checks an account's password outside the login form (the current password of a password or
 * email change) under the login's account lock: each check counts before it runs, wrong ones lock
 * the account like failed logins, and a locked account's check is simply wrong. A refused check
 * still hashes, against a dummy hash, so that it takes as long as a real one.
 */
@Component
public class PasswordChecks {

	private final AccountLocks locks;

	private final PasswordEncoder passwordEncoder;

	private volatile String dummyHash;

	PasswordChecks(AccountLocks locks, PasswordEncoder passwordEncoder) {
		this.locks = locks;
		this.passwordEncoder = passwordEncoder;
	}

	/**
	 * @return whether the password is the account's; false as well while the account is locked
	 * @throws PasswordHashingBusyException when no hashing permit came free (nothing is counted)
	 */
	public boolean matches(UUID accountId, String rawPassword, String passwordHash, String clientAddress) {
		Optional<AccountLocks.Attempt> attempt = locks.begin(accountId);
		if (attempt.isEmpty()) {
			checkAgainstDummy(rawPassword);
			return false;
		}
		boolean matches;
		try {
			matches = passwordHash != null && passwordEncoder.matches(rawPassword, passwordHash);
		}
		catch (PasswordHashingBusyException ex) {
			locks.refund(attempt.get());
			throw ex;
		}
		if (matches) {
			locks.succeeded(attempt.get());
		}
		else {
			locks.failed(attempt.get(), clientAddress);
		}
		return matches;
	}

	/** A check whose answer is already known to be no, for the time a real one takes. */
	void checkAgainstDummy(String rawPassword) {
		String hash = dummyHash;
		if (hash == null) {
			hash = passwordEncoder.encode("not anyone's password");
			dummyHash = hash;
		}
		passwordEncoder.matches(rawPassword, hash);
	}

}
