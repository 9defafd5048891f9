package dev.bookmarks.auth.throttle;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.bookmarks.auth.ThrottledAuthServiceTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrationRateLimitTest extends ThrottledAuthServiceTest {

	@Test
	void theEleventhRegistrationFromOneAddressWithinAnHourIsA429WithRetryAfter() {
		String address = newClientAddress();
		for (int i = 0; i < 10; i++) {
			assertThat(register(address, unique("reg")).statusCode()).isEqualTo(201);
		}
		String username = unique("reg");

		HttpResponse<String> refused = register(address, username);

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
				seconds -> assertThat(seconds).isBetween(3500L, 3600L));
		JsonNode problem = json(refused);
		assertThat(problem.get("status").asInt()).isEqualTo(429);
		assertThat(problem.get("title").asString()).isEqualTo("Too Many Requests");
		assertThat(problem.get("detail").asString()).isNotBlank();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM account WHERE username = ?", Long.class, username))
			.isZero();
		assertThat(register(newClientAddress(), unique("reg")).statusCode()).isEqualTo(201);
	}

	@Test
	void registrationsFromAnAddressAreAllowedAgainAfterTheHour() {
		String address = newClientAddress();
		for (int i = 0; i < 10; i++) {
			register(address, unique("reg"));
		}
		assertThat(register(address, unique("reg")).statusCode()).isEqualTo(429);

		clock.advance(java.time.Duration.ofMinutes(60).plusSeconds(1));

		assertThat(register(address, unique("reg")).statusCode()).isEqualTo(201);
	}

	/** The gateway appends the address it saw; what the client wrote to the left of it is ignored. */
	@Test
	void aClientCannotPickItsAddressByWritingTheForwardedForHeaderItself() {
		String address = newClientAddress();
		for (int i = 0; i < 10; i++) {
			String spoofed = newClientAddress();
			assertThat(register(spoofed + ", " + address, unique("spoof")).statusCode()).isEqualTo(201);
		}

		HttpResponse<String> refused = register(newClientAddress() + ", " + address, unique("spoof"));

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM throttle_event WHERE kind = 'registration-address' "
				+ "AND subject = ?", Long.class, address)).isEqualTo(10);
	}

	private HttpResponse<String> register(String forwardedFor, String username) {
		return postJsonFrom(forwardedFor, "/api/accounts",
				Map.of("username", username, "email", username + "@example.com", "password", PASSWORD));
	}

}
