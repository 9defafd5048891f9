package dev.bookmarks.auth.security;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.bookmarks.auth.Browser;
import dev.bookmarks.auth.SignedInTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/** What callers see while every password hashing permit is taken (PasswordHashingUnderLoadTest makes it happen). */
class PasswordHashingBusyTest extends SignedInTest {

	@Autowired
	PasswordEncoder passwordEncoder;

	@Autowired
	MeterRegistry meters;

	@Test
	void withoutAPermitRegistrationAndPasswordChangeAre503AndALoginFailsLikeAWrongPassword() {
		Person person = newPerson("busy");
		HttpResponse<String> wrongPassword = signIn().login(new Browser(), person.username(), "not the password");
		Semaphore permits = ((BoundedPasswordEncoder) passwordEncoder).permits();
		double refusedBefore = meters.get("bookmarks.auth.hash.refused").counter().count();
		long waitsBefore = meters.get("bookmarks.auth.hash.permit.wait").timer().count();
		int taken = permits.drainPermits();
		HttpResponse<String> registration;
		HttpResponse<String> change;
		HttpResponse<String> login;
		try {
			registration = postJson("/api/accounts", Map.of("username", unique("busy"), "email",
					unique("busy") + "@example.com", "password", PASSWORD));
			change = callJson("POST", "/api/accounts/me/password", person.accessToken(),
					Map.of("currentPassword", PASSWORD, "newPassword", "an entirely different passphrase"));
			login = signIn().login(new Browser(), person.username(), PASSWORD);
		}
		finally {
			permits.release(taken);
		}

		for (HttpResponse<String> busy : new HttpResponse[] { registration, change }) {
			assertProblem(busy, 503);
			assertThat(busy.headers().firstValue("Retry-After")).hasValue("3");
		}
		assertThat(login.statusCode()).isEqualTo(wrongPassword.statusCode());
		// Three hashes refused, each after waiting its full turn (3 s) for a permit.
		assertThat(meters.get("bookmarks.auth.hash.refused").counter().count() - refusedBefore).isEqualTo(3);
		assertThat(meters.get("bookmarks.auth.hash.permit.wait").timer().count() - waitsBefore).isEqualTo(3);
		assertThat(meters.get("bookmarks.auth.hash.permit.wait").timer().max(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(2.9);
		assertThat(Browser.location(login)).isEqualTo(Browser.location(wrongPassword)).endsWith("/login?error");
		assertThat(signIn().login(new Browser(), person.username(), PASSWORD).headers().firstValue("Location"))
			.hasValueSatisfying(location -> assertThat(location).doesNotContain("error"));
	}

}
