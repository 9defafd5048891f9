package dev.bookmarks.auth.security;

import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Finds the account for the login form by username or email, ignoring case. The resulting
 * principal's name is the account id, so that the {@code sub} of every token is the id and
 * stays the same when the person changes their username or email.
 */
@Component
class AccountUserDetailsService implements UserDetailsService, UserDetailsPasswordService {

	private final AccountRepository accounts;

	AccountUserDetailsService(AccountRepository accounts) {
		this.accounts = accounts;
	}

	@Override
	public UserDetails loadUserByUsername(String login) {
		return accounts.findByLogin(login)
			.map(AccountUserDetailsService::toUserDetails)
			.orElseThrow(() -> new UsernameNotFoundException("No account for that username or email"));
	}

	/** Called after a successful login when the stored hash uses weaker settings than today's. */
	@Override
	public UserDetails updatePassword(UserDetails user, String newPasswordHash) {
		accounts.updatePasswordHash(UUID.fromString(user.getUsername()), newPasswordHash);
		return User.withUserDetails(user).password(newPasswordHash).build();
	}

	private static UserDetails toUserDetails(Account account) {
		return User.withUsername(account.id().toString())
			.password(account.passwordHash())
			.roles(account.roles().toArray(String[]::new))
			.build();
	}

}
