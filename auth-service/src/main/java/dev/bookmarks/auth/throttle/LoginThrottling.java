package dev.bookmarks.auth.throttle;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountRepository;
import dev.bookmarks.auth.security.PasswordHashingBusyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The login form's authentication, throttled: an account locks after too many failed logins, and
 * a client address that failed too often fails every login for a while. Both count a login before
 * its password is checked ({@link AccountLocks#begin}, {@link RateLimits#begin}), so that logins
 * sent at once check no more passwords than either limit allows; a login whose password was right,
 * or which checked none, is given back.
 *
 * <p>A locked account, a refused address, a wrong password and an unknown user all get the same
 * {@link BadCredentialsException}, and so the same answer from the form login; and each of them
 * runs a password hash check, so that they also take about the same time: the account's own hash
 * only for an attempt both limits let through, a dummy hash otherwise (for an unknown user, see
 * {@link DaoAuthenticationProvider}). Nothing tells a guesser that the account exists or that it
 * is locked.
 */
@Component
public class LoginThrottling {

	static final String ADDRESS_FAILURE = "login-failure-address";

	private static final Logger log = LoggerFactory.getLogger(LoginThrottling.class);

	private final AuthenticationManager authenticationManager;

	LoginThrottling(UserDetailsService users, UserDetailsPasswordService passwordUpgrades,
			PasswordEncoder passwordEncoder, AccountRepository accounts, AccountLocks locks, RateLimits rateLimits,
			ThrottlingProperties properties, ClientAddress clientAddress, PasswordChecks checks) {
		DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
		passwords.setPasswordEncoder(passwordEncoder);
		passwords.setUserDetailsPasswordService(passwordUpgrades);
		this.authenticationManager = new ProviderManager(new ThrottledAuthentication(passwords, accounts, locks,
				rateLimits, properties.loginFailuresPerAddress(), clientAddress, checks));
	}

	/** For the login form's filter chain, in place of the shared authentication manager. */
	public AuthenticationManager authenticationManager() {
		return authenticationManager;
	}

	private static final class ThrottledAuthentication implements AuthenticationProvider {

		private final AuthenticationProvider passwords;

		private final AccountRepository accounts;

		private final AccountLocks locks;

		private final RateLimits rateLimits;

		private final Limit addressLimit;

		private final ClientAddress clientAddress;

		private final PasswordChecks checks;

		ThrottledAuthentication(AuthenticationProvider passwords, AccountRepository accounts, AccountLocks locks,
				RateLimits rateLimits, Limit addressLimit, ClientAddress clientAddress, PasswordChecks checks) {
			this.passwords = passwords;
			this.accounts = accounts;
			this.locks = locks;
			this.rateLimits = rateLimits;
			this.addressLimit = addressLimit;
			this.clientAddress = clientAddress;
			this.checks = checks;
		}

		@Override
		public Authentication authenticate(Authentication authentication) {
			String address = clientAddress();
			Optional<UUID> accountId = accounts.findByLogin(authentication.getName()).map(Account::id);
			// Both limits count an attempt before its slow hash runs, so that parallel guesses can
			// outrun neither; each attempt is given back unless its password turns out wrong.
			RateLimits.Attempt fromAddress = null;
			AccountLocks.Attempt ofAccount = null;
			try {
				fromAddress = rateLimits.begin(ADDRESS_FAILURE, address, addressLimit).orElse(null);
				if (fromAddress == null) {
					// Attempts while refused are not counted: the refusal ends when the window has passed.
					refuseAfterDummyCheck(authentication);
				}
				if (accountId.isPresent()) {
					ofAccount = locks.begin(accountId.get()).orElse(null);
					if (ofAccount == null) {
						// A locked account checks no password: nor does the address pay for it.
						rateLimits.refund(fromAddress);
						fromAddress = null;
						refuseAfterDummyCheck(authentication);
					}
				}
				Authentication result;
				try {
					// An unknown user is checked against a dummy hash here: it takes the same time.
					result = passwords.authenticate(authentication);
				}
				catch (BadCredentialsException ex) {
					result = null;
				}
				if (result == null) {
					failed(fromAddress, ofAccount, address);
					throw refused();
				}
				// Only failures count against the address.
				rateLimits.refund(fromAddress);
				if (ofAccount != null) {
					locks.succeeded(ofAccount);
				}
				return result;
			}
			catch (BadCredentialsException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				PasswordHashingBusyException busy = PasswordHashingBusyException.in(ex).orElseThrow(() -> ex);
				// No password was checked, so nothing counts; the answer is a wrong password's, and
				// takes at least as long as one: the wait for a permit, then about a hash.
				if (fromAddress != null) {
					rateLimits.refund(fromAddress);
				}
				if (ofAccount != null) {
					locks.refund(ofAccount);
				}
				pause(busy.typicalHashTime());
				throw refused();
			}
		}

		private void refuseAfterDummyCheck(Authentication authentication) {
			Object password = authentication.getCredentials();
			checks.checkAgainstDummy(password == null ? "" : password.toString());
			throw refused();
		}

		/**
		 * From the request being served rather than from custom authentication details: the
		 * details are stored with OAuth2 authorizations, whose JSON reader accepts only Spring
		 * Security's own types.
		 */
		private String clientAddress() {
			if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
				return clientAddress.of(attributes.getRequest());
			}
			return "unknown";
		}

		private void failed(RateLimits.Attempt fromAddress, AccountLocks.Attempt ofAccount, String address) {
			if (fromAddress.last()) {
				log.warn("Logins from {} refused for up to {}: {} failed logins", address, addressLimit.window(),
						addressLimit.max());
			}
			if (ofAccount != null) {
				locks.failed(ofAccount, address);
			}
		}

		private static void pause(Duration duration) {
			try {
				java.util.concurrent.TimeUnit.NANOSECONDS.sleep(duration.toNanos());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static BadCredentialsException refused() {
			return new BadCredentialsException("Bad credentials");
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
		}

	}

}
