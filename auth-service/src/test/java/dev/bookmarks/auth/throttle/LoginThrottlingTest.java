package dev.bookmarks.auth.throttle;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import dev.bookmarks.auth.ThrottledAuthServiceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class LoginThrottlingTest extends ThrottledAuthServiceTest {

	@Test
	void fiveWrongPasswordsLockTheAccountSoThatEvenTheRightOneIsRefusedLikeAWrongOne(CapturedOutput output) {
		NewAccount account = newAccount();
		String address = newClientAddress();
		List<LoginAttempt> wrong = new ArrayList<>();
		for (int i = 1; i <= 5; i++) {
			wrong.add(logIn(account.username(), "wrong password number " + i, address));
		}

		LoginAttempt right = logIn(account.username(), PASSWORD, address);
		LoginAttempt rightFromElsewhere = logIn(account.email(), PASSWORD, newClientAddress());

		assertThat(wrong).noneMatch(LoginAttempt::succeeded);
		assertSameAnswer(right, wrong.get(0));
		assertSameAnswer(rightFromElsewhere, wrong.get(0));
		assertThat(jdbc.queryForObject("SELECT count(*) FROM login_lock WHERE account_id = ?", Long.class,
				UUID.fromString(account.id()))).isEqualTo(1);
		assertThat(output).contains("Account " + account.id() + " locked until")
			.doesNotContain("wrong password number")
			.doesNotContain(PASSWORD);
	}

	/**
	 * Each guess is counted before its slow hash runs, so guesses sent at once cannot all slip
	 * past the lock while the first ones are still being checked.
	 */
	@Test
	void fiftyParallelGuessesCheckAtMostFivePasswordsAndThenEvenTheRightOneIsRefused() {
		NewAccount account = newAccount();
		String hash = jdbc.queryForObject("SELECT password_hash FROM account WHERE id = ?::uuid", String.class,
				account.id());
		ExecutorService browsers = Executors.newFixedThreadPool(50);
		List<CompletableFuture<LoginAttempt>> guesses = new ArrayList<>();
		try {
			for (int i = 0; i < 50; i++) {
				String guess = "guess number " + i;
				guesses.add(CompletableFuture.supplyAsync(() -> logIn(account.username(), guess, newClientAddress()),
						browsers));
			}
			assertThat(guesses.stream().map(CompletableFuture::join)).noneMatch(LoginAttempt::succeeded);
		}
		finally {
			browsers.shutdownNow();
		}

		assertThat(passwordChecks.against(hash)).as("passwords compared with the account's hash").isBetween(1, 5);
		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isFalse();
		assertThat(passwordChecks.against(hash)).isLessThanOrEqualTo(5);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM login_lock WHERE account_id = ?", Long.class,
				UUID.fromString(account.id()))).isEqualTo(1);
	}

	@Test
	void theLockEndsFifteenMinutesAfterTheFifthFailure() {
		NewAccount account = newAccount();
		lock(account);

		clock.advance(Duration.ofMinutes(14));
		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isFalse();

		clock.advance(Duration.ofMinutes(1).plusSeconds(1));
		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isTrue();
	}

	@Test
	void failuresBeforeALockDoNotCountAgainAfterIt() {
		NewAccount account = newAccount();
		lock(account);
		clock.advance(Duration.ofMinutes(15).plusSeconds(1));

		LoginAttempt oneMoreMistake = logIn(account.username(), "still wrong", newClientAddress());

		assertThat(oneMoreMistake.succeeded()).isFalse();
		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isTrue();
	}

	@Test
	void failuresOlderThanFifteenMinutesDoNotCount() {
		NewAccount account = newAccount();
		for (int i = 0; i < 4; i++) {
			assertThat(logIn(account.username(), "wrong " + i, newClientAddress()).succeeded()).isFalse();
		}
		clock.advance(Duration.ofMinutes(15).plusSeconds(1));

		assertThat(logIn(account.username(), "wrong again", newClientAddress()).succeeded()).isFalse();

		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isTrue();
	}

	@Test
	void aSuccessfulLoginForgetsEarlierFailures() {
		NewAccount account = newAccount();
		for (int i = 0; i < 4; i++) {
			logIn(account.username(), "wrong " + i, newClientAddress());
		}
		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isTrue();

		for (int i = 0; i < 4; i++) {
			logIn(account.username(), "wrong again " + i, newClientAddress());
		}

		assertThat(logIn(account.username(), PASSWORD, newClientAddress()).succeeded()).isTrue();
	}

	@Test
	void anUnknownUserALockedAccountAndAWrongPasswordGetTheSameAnswer() {
		NewAccount locked = newAccount();
		lock(locked);
		NewAccount other = newAccount();

		LoginAttempt wrongPassword = logIn(other.username(), "not the password", newClientAddress());
		LoginAttempt unknownUser = logIn(unique("nobody"), PASSWORD, newClientAddress());
		LoginAttempt unknownEmail = logIn(unique("nobody") + "@example.com", PASSWORD, newClientAddress());
		LoginAttempt lockedRightPassword = logIn(locked.username(), PASSWORD, newClientAddress());
		LoginAttempt lockedWrongPassword = logIn(locked.username(), "not the password", newClientAddress());

		assertThat(wrongPassword.answer().statusCode()).isEqualTo(302);
		assertThat(wrongPassword.answer().headers().firstValue("Location")).hasValue(base() + "/login?error");
		assertThat(wrongPassword.next().body()).contains("Invalid username or password");
		for (LoginAttempt attempt : List.of(unknownUser, unknownEmail, lockedRightPassword, lockedWrongPassword)) {
			assertSameAnswer(attempt, wrongPassword);
		}
	}

	/**
	 * What would give a lock or an unknown user away is a missing password hash check: Argon2 takes
	 * tens of milliseconds, a refusal without it about one. Medians of interleaved attempts, each
	 * from its own address so that no per-address limit mixes in.
	 */
	@Test
	void anUnknownUserALockedAccountAndAWrongPasswordTakeAboutAsLong() {
		NewAccount locked = newAccount();
		lock(locked);
		List<NewAccount> others = List.of(newAccount(), newAccount(), newAccount());
		int rounds = 9;
		List<Duration> wrong = new ArrayList<>();
		List<Duration> unknown = new ArrayList<>();
		List<Duration> lockedTimes = new ArrayList<>();
		for (int i = 0; i < rounds; i++) {
			// At most 3 failures per account: none of these three gets locked.
			wrong.add(logIn(others.get(i % 3).username(), "wrong " + i, newClientAddress()).took());
			unknown.add(logIn(unique("nobody"), "wrong " + i, newClientAddress()).took());
			lockedTimes.add(logIn(locked.username(), PASSWORD, newClientAddress()).took());
		}

		Duration wrongMedian = median(wrong);
		Duration unknownMedian = median(unknown);
		Duration lockedMedian = median(lockedTimes);
		System.out.printf("Login answer medians of %d: wrong password %d ms, unknown user %d ms, locked account %d ms%n",
				rounds, wrongMedian.toMillis(), unknownMedian.toMillis(), lockedMedian.toMillis());
		assertThat(unknownMedian).isBetween(wrongMedian.dividedBy(3), wrongMedian.multipliedBy(3));
		assertThat(lockedMedian).isBetween(wrongMedian.dividedBy(3), wrongMedian.multipliedBy(3));
	}

	@Test
	void twentyFailuresFromOneAddressRefuseItsLoginsForAWhileWithTheSameAnswer(CapturedOutput output) {
		NewAccount account = newAccount();
		String address = newClientAddress();
		for (int i = 0; i < 20; i++) {
			// Unknown users: no account gets locked, only the address counts.
			assertThat(logIn(unique("guess"), "guess " + i, address).succeeded()).isFalse();
		}

		LoginAttempt fromThere = logIn(account.username(), PASSWORD, address);
		LoginAttempt fromElsewhere = logIn(account.username(), PASSWORD, newClientAddress());

		assertSameAnswer(fromThere, logIn(account.username(), "wrong", newClientAddress()));
		assertThat(fromElsewhere.succeeded()).isTrue();
		assertThat(output).contains("Logins from " + address + " refused");

		clock.advance(Duration.ofMinutes(15).plusSeconds(1));
		assertThat(logIn(account.username(), PASSWORD, address).succeeded()).isTrue();
	}

	/**
	 * Each login is counted against its address before its slow hash runs, so logins sent at once
	 * from one address cannot check more passwords than the address may fail. Distinct accounts, one
	 * wrong guess each: no account lock mixes in.
	 */
	@Test
	void sixtyParallelWrongLoginsFromOneAddressCheckAtMostTwentyPasswordsAndThenEvenTheRightOneIsRefused(
			CapturedOutput output) {
		List<NewAccount> accounts = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			accounts.add(newAccount());
		}
		List<String> hashes = accounts.stream()
			.map(account -> jdbc.queryForObject("SELECT password_hash FROM account WHERE id = ?::uuid", String.class,
					account.id()))
			.toList();
		String address = newClientAddress();
		ExecutorService browsers = Executors.newFixedThreadPool(60);
		List<CompletableFuture<LoginAttempt>> guesses = new ArrayList<>();
		long started = System.nanoTime();
		try {
			for (NewAccount account : accounts) {
				guesses.add(CompletableFuture.supplyAsync(() -> logIn(account.username(), "a wrong guess", address),
						browsers));
			}
			assertThat(guesses.stream().map(CompletableFuture::join)).noneMatch(LoginAttempt::succeeded);
		}
		finally {
			browsers.shutdownNow();
		}
		int checked = hashes.stream().mapToInt(passwordChecks::against).sum();
		System.out.printf("60 parallel wrong logins from one address: %d password checks, answered within %d ms%n",
				checked, Duration.ofNanos(System.nanoTime() - started).toMillis());

		assertThat(checked).as("passwords compared with the accounts' hashes").isBetween(1, 20);
		NewAccount someone = accounts.get(0);
		assertThat(logIn(someone.username(), PASSWORD, address).succeeded()).isFalse();
		assertThat(hashes.stream().mapToInt(passwordChecks::against).sum()).isEqualTo(checked);
		assertThat(logIn(someone.username(), PASSWORD, newClientAddress()).succeeded()).isTrue();
		assertThat(output).contains("Logins from " + address + " refused");
	}

	private void lock(NewAccount account) {
		for (int i = 0; i < 5; i++) {
			assertThat(logIn(account.username(), "wrong " + i, newClientAddress()).succeeded()).isFalse();
		}
		assertThat(jdbc.queryForObject("SELECT count(*) FROM login_lock WHERE account_id = ?", Long.class,
				UUID.fromString(account.id()))).isEqualTo(1);
	}

	/** Same status, same headers (but the date), same body; and the page it leads to is the same. */
	private void assertSameAnswer(LoginAttempt actual, LoginAttempt expected) {
		assertThat(actual.succeeded()).isFalse();
		assertThat(actual.answer().statusCode()).isEqualTo(expected.answer().statusCode());
		assertThat(comparable(actual.answer().headers())).isEqualTo(comparable(expected.answer().headers()));
		assertThat(actual.answer().body()).isEqualTo(expected.answer().body());
		Supplier<String> page = () -> withoutCsrfToken(actual.next().body());
		assertThat(actual.next().statusCode()).isEqualTo(expected.next().statusCode());
		assertThat(page.get()).isEqualTo(withoutCsrfToken(expected.next().body()));
	}

	private static Map<String, List<String>> comparable(HttpHeaders headers) {
		Map<String, List<String>> map = new TreeMap<>(headers.map());
		map.remove("date");
		return map;
	}

	private static String withoutCsrfToken(String html) {
		return html.replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "name=\"_csrf\" value=\"\"")
			.replaceAll("value=\"[^\"]*\" name=\"_csrf\"", "value=\"\" name=\"_csrf\"");
	}

	private static Duration median(List<Duration> durations) {
		List<Duration> sorted = durations.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

}
