package dev.bookmarks.auth.federation;

import java.util.Optional;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountService;
import dev.bookmarks.auth.account.AccountTakenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * The local account of an identity at another provider: the linked one, or on the first sign-in a
 * new one with a derived username, the provider's names and, only when the provider verified it and
 * nobody uses it, the email address. Accounts are never linked by email address: an address that
 * matches an existing account is just not copied, so nobody can take over an account by showing a
 * provider that claims its address.
 */
@Service
class FederatedAccounts {

	private static final Logger log = LoggerFactory.getLogger(FederatedAccounts.class);

	private static final int ATTEMPTS = 5;

	private final AccountService accounts;

	private final FederatedIdentities identities;

	FederatedAccounts(AccountService accounts, FederatedIdentities identities) {
		this.accounts = accounts;
		this.identities = identities;
	}

	Account signIn(ProviderProfile profile) {
		for (int attempt = 1;; attempt++) {
			Optional<UUID> linked = identities.accountOf(profile.provider(), profile.subject());
			if (linked.isPresent()) {
				return accounts.find(linked.get())
					.orElseThrow(() -> new IllegalStateException("Linked account " + linked.get() + " is gone"));
			}
			String username = UsernameDerivation.derive(profile.usernameHints(), accounts::isNameTaken);
			String email = profile.verifiedEmail() != null && !accounts.isNameTaken(profile.verifiedEmail())
					? profile.verifiedEmail() : null;
			try {
				Account account = accounts.registerFederated(username, email, profile.firstName(), profile.lastName(),
						created -> identities.link(profile.provider(), profile.subject(), created.id()));
				log.info("Created account {} ({}) for the first sign-in with {}", account.id(), account.username(),
						profile.provider());
				return account;
			}
			catch (AccountTakenException | DuplicateKeyException ex) {
				// Between the checks and the insert someone took the username or the address, or this
				// identity signed in twice at once and the other one created the account: look again.
				if (attempt == ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

}
