package dev.bookmarks.auth.account;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.bookmarks.auth.ThrottledAuthServiceTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class CommonPasswordRegistrationTest extends ThrottledAuthServiceTest {

	@Test
	void aPasswordFromDeepInTheCommonListIsRefusedAtRegistration() {
		String username = unique("common");

		HttpResponse<String> response = postJsonFrom(newClientAddress(), "/api/accounts",
				Map.of("username", username, "email", username + "@example.com", "password", "Qwerty123456789"));

		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = json(response).get("errors").get(0);
		assertThat(error.get("field").asString()).isEqualTo("password");
		assertThat(error.get("message").asString()).isEqualTo("This password is too common.");
	}

	@Test
	void aRandomPassphraseIsAcceptedAtRegistration() {
		String username = unique("passphrase");

		HttpResponse<String> response = postJsonFrom(newClientAddress(), "/api/accounts", Map.of("username", username,
				"email", username + "@example.com", "password", "orbit velvet kettle 42 marmalade"));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
	}

}
