package dev.bookmarks.auth.credentials;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import dev.bookmarks.auth.Browser;
import dev.bookmarks.auth.SignIn.Tokens;
import dev.bookmarks.auth.SignedInTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/accounts/me/password} over real HTTP, with real sessions and tokens. */
class PasswordChangeTest extends SignedInTest {

	private static final String NEW_PASSWORD = "an entirely different passphrase";

	@Test
	void loginSessionsAreKeptInPostgresqlUnderTheAccountId() {
		Person person = newPerson("session");

		signIn().browser(person.username(), PASSWORD);

		assertThat(jdbc.queryForObject("SELECT count(*) FROM spring_session WHERE principal_name = ?", Long.class,
				person.id().toString())).isPositive();
	}

	@Test
	void changingThePasswordEndsOtherSessionsAndEveryRefreshToken() {
		Person person = newPerson("changer");
		Tokens otherDevice = signIn().tokens(person.username(), PASSWORD);
		Browser otherBrowser = signIn().browser(person.username(), PASSWORD);
		assertThat(signIn().isSignedIn(otherBrowser)).isTrue();

		HttpResponse<String> response = change(person, PASSWORD, NEW_PASSWORD);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
		assertThat(response.body()).isEmpty();
		for (Tokens tokens : new Tokens[] { person.tokens(), otherDevice }) {
			HttpResponse<String> refreshed = signIn().refresh(tokens.refreshToken());
			assertThat(refreshed.statusCode()).isEqualTo(400);
			assertThat(json(refreshed).get("error").asString()).isEqualTo("invalid_grant");
		}
		assertThat(signIn().isSignedIn(otherBrowser)).as("the other browser's session").isFalse();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM spring_session WHERE principal_name = ?", Long.class,
				person.id().toString())).isZero();
	}

	@Test
	void afterwardsTheNewPasswordWorksAndTheOldOneDoesNot() {
		Person person = newPerson("newpass");

		assertThat(change(person, PASSWORD, NEW_PASSWORD).statusCode()).isEqualTo(204);

		HttpResponse<String> old = signIn().login(new Browser(), person.username(), PASSWORD);
		assertThat(Browser.location(old)).endsWith("/login?error");
		Tokens fresh = signIn().tokens(person.username(), NEW_PASSWORD);
		assertThat(get("/api/accounts/me", fresh.accessToken()).statusCode()).isEqualTo(200);
		assertThat(jdbc.queryForObject("SELECT password_hash FROM account WHERE id = ?", String.class, person.id()))
			.startsWith("{argon2}").doesNotContain(NEW_PASSWORD);
	}

	@Test
	void aWrongCurrentPasswordIsRefusedAndNothingIsRevoked() {
		Person person = newPerson("wrongcurrent");
		Browser browser = signIn().browser(person.username(), PASSWORD);

		HttpResponse<String> response = change(person, "not my password at all", NEW_PASSWORD);

		assertThat(invalidFields(response)).containsExactly("currentPassword");
		assertThat(signIn().isSignedIn(browser)).isTrue();
		assertThat(signIn().refresh(person.tokens().refreshToken()).statusCode()).isEqualTo(200);
		assertThat(Browser.location(signIn().login(new Browser(), person.username(), PASSWORD)))
			.doesNotContain("error");
	}

	/** The current password is guessed no more often than the login form's: the same account lock. */
	@Test
	void fiveWrongCurrentPasswordsLockTheAccountSoThatEvenTheRightOneIsRefusedLikeAWrongOne() {
		Person person = newPerson("guessed");
		HttpResponse<String> wrong = null;
		for (int i = 0; i < 5; i++) {
			wrong = change(person, "wrong guess number " + i, NEW_PASSWORD);
			assertThat(invalidFields(wrong)).containsExactly("currentPassword");
		}

		HttpResponse<String> right = change(person, PASSWORD, NEW_PASSWORD);

		assertThat(invalidFields(right)).containsExactly("currentPassword");
		assertThat(json(right)).isEqualTo(json(wrong));
		assertThat(jdbc.queryForObject("SELECT count(*) FROM login_lock WHERE account_id = ?", Long.class,
				person.id())).isEqualTo(1);
		assertThat(Browser.location(signIn().login(new Browser(), person.username(), PASSWORD)))
			.as("the login form is locked too")
			.endsWith("/login?error");
		assertThat(signIn().refresh(person.tokens().refreshToken()).statusCode()).as("nothing was revoked")
			.isEqualTo(200);
	}

	@Test
	void aRightCurrentPasswordForgetsEarlierWrongOnes() {
		Person person = newPerson("forgetful");
		for (int i = 0; i < 4; i++) {
			change(person, "wrong guess number " + i, NEW_PASSWORD);
		}
		assertThat(change(person, PASSWORD, NEW_PASSWORD).statusCode()).isEqualTo(204);

		for (int i = 0; i < 4; i++) {
			change(person, "wrong again " + i, PASSWORD);
		}

		assertThat(Browser.location(signIn().login(new Browser(), person.username(), NEW_PASSWORD)))
			.doesNotContain("error");
	}

	static Stream<Arguments> weakPasswords() {
		return Stream.of(Arguments.of("too short", "Short9chr"), Arguments.of("digits only", "73910582746"),
				Arguments.of("common", "Password123"), Arguments.of("too long", "Long-" + "p".repeat(124)),
				Arguments.of("like the username", "{username}-secret"));
	}

	@ParameterizedTest(name = "a new password that is {0} is refused")
	@MethodSource("weakPasswords")
	void aWeakNewPasswordIsRefusedAndTheOldOneStillWorks(String description, String weak) {
		Person person = newPerson("weak");

		HttpResponse<String> response = change(person, PASSWORD, weak.replace("{username}", person.username()));

		assertThat(invalidFields(response)).containsOnly("newPassword");
		assertThat(signIn().refresh(person.tokens().refreshToken()).statusCode()).isEqualTo(200);
	}

	@Test
	void bothWrongCurrentAndWeakNewAreReportedTogether() {
		Person person = newPerson("both");

		HttpResponse<String> response = change(person, "wrong wrong wrong", "12345678901");

		assertThat(invalidFields(response)).contains("currentPassword", "newPassword");
	}

	@Test
	void missingFieldsAreA400NamingThem() {
		Person person = newPerson("missing");

		HttpResponse<String> response = callJson("POST", "/api/accounts/me/password", person.accessToken(), Map.of());

		assertThat(invalidFields(response)).contains("currentPassword", "newPassword");
	}

	@Test
	void withoutATokenChangingThePasswordIsA401Problem() {
		assertProblem(callJson("POST", "/api/accounts/me/password", null,
				Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)), 401);
	}

	private HttpResponse<String> change(Person person, String current, String next) {
		return callJson("POST", "/api/accounts/me/password", person.accessToken(),
				Map.of("currentPassword", current, "newPassword", next));
	}

}
