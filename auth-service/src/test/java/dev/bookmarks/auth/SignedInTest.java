package dev.bookmarks.auth;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bookmarks.auth.SignIn.Tokens;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests of the account API that need people who are signed in, with helpers to call it. */
public abstract class SignedInTest extends AuthServiceTest {

	protected static final String PASSWORD = "a long and unusual passphrase";

	/** A registered person with the tokens of a mobile sign-in. */
	public record Person(UUID id, String username, String email, Tokens tokens) {

		public String accessToken() {
			return tokens.accessToken();
		}

	}

	protected SignIn signIn() {
		return new SignIn(base());
	}

	/** Registers someone new (password {@link #PASSWORD}) and signs them in. */
	protected Person newPerson(String prefix) {
		String username = unique(prefix);
		UUID id = register(username, username + "@example.com");
		return new Person(id, username, username + "@example.com", signIn().tokens(username, PASSWORD));
	}

	protected UUID register(String username, String email) {
		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", email, "password", PASSWORD));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return UUID.fromString(json(response).get("id").asString());
	}

	protected HttpResponse<String> call(String method, String path, String bearerToken, String contentType,
			HttpRequest.BodyPublisher body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Accept", "application/json")
			.method(method, body);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		if (bearerToken != null) {
			request.header("Authorization", "Bearer " + bearerToken);
		}
		return send(plainClient(), request.build());
	}

	/** Sends JSON: a {@code String} as it is, anything else serialized. */
	protected HttpResponse<String> callJson(String method, String path, String bearerToken, Object body) {
		String text = body instanceof String raw ? raw : JSON.writeValueAsString(body);
		return call(method, path, bearerToken, "application/json", HttpRequest.BodyPublishers.ofString(text));
	}

	/** {@code PUT /api/accounts/me/photo} with one multipart part named {@code file}. */
	protected HttpResponse<String> putPhoto(String bearerToken, byte[] content, String fileName, String contentType) {
		String boundary = "----bookmarks-" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
				+ "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return call("PUT", "/api/accounts/me/photo", bearerToken, "multipart/form-data; boundary=" + boundary,
				HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
	}

	/** The payloads of the outbox events of one type about one account, oldest first. */
	protected List<JsonNode> outboxPayloads(UUID accountId, String eventType) {
		return jdbc.queryForList("""
				SELECT envelope::text FROM outbox WHERE aggregate_id = ? AND event_type = ?
				ORDER BY occurred_at, id""", String.class, accountId.toString(), eventType)
			.stream()
			.map(envelope -> JSON.readTree(envelope).get("payload"))
			.toList();
	}

	/** The {@code field} names of a 400 problem's {@code errors}, after checking its shape. */
	protected static List<String> invalidFields(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		List<String> fields = new java.util.ArrayList<>();
		problem.get("errors").forEach(error -> {
			assertThat(error.get("message").asString()).isNotBlank();
			fields.add(error.get("field").asString());
		});
		return fields;
	}

	protected static void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(json(response).get("status").asInt()).isEqualTo(status);
	}

}
