package dev.bookmarks.auth.account;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import dev.bookmarks.auth.AuthServiceTest;
import dev.bookmarks.devinfra.TestInfrastructure;
import dev.bookmarks.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrationTest extends AuthServiceTest {

	private static final String GOOD_PASSWORD = "correct horse battery staple";

	@Test
	void registeringCreatesTheAccountAndOneUserRegisteredEvent() {
		String username = unique("Alice");
		String email = username.toLowerCase() + "@Example.COM";

		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", email, "password", GOOD_PASSWORD, "firstName", "Alice",
						"lastName", "Liddell"));

		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/json"));
		JsonNode account = json(response);
		UUID id = UUID.fromString(account.get("id").asString());
		// The public URL through the gateway, not auth-service's own /auth/api path.
		assertThat(response.headers().firstValue("Location")).hasValue(PUBLIC_ORIGIN + "/api/accounts/" + id);
		assertThat(account.get("username").asString()).isEqualTo(username);
		// The domain part of an address is case-insensitive and stored in lower case.
		assertThat(account.get("email").asString()).isEqualTo(username.toLowerCase() + "@example.com");
		assertThat(account.get("firstName").asString()).isEqualTo("Alice");
		assertThat(account.get("lastName").asString()).isEqualTo("Liddell");
		assertThat(account.get("dateOfBirth").isNull()).isTrue();
		assertThat(account.get("photoUrl").isNull()).isTrue();
		assertThat(account.has("password")).isFalse();
		assertThat(account.has("passwordHash")).isFalse();
		Instant createdAt = Instant.parse(account.get("createdAt").asString());
		assertThat(createdAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

		Map<String, Object> row = jdbc.queryForMap(
				"SELECT username, password_hash, roles::text AS roles, created_at FROM account WHERE id = ?", id);
		assertThat(row.get("username")).isEqualTo(username);
		assertThat((String) row.get("password_hash")).startsWith("{argon2}$argon2id$").doesNotContain(GOOD_PASSWORD);
		assertThat(row.get("roles")).isEqualTo("{USER}");

		List<Map<String, Object>> events = jdbc.queryForList(
				"SELECT topic, aggregate_id, event_type, event_version, envelope::text AS envelope FROM outbox "
						+ "WHERE aggregate_id = ?",
				id.toString());
		assertThat(events).hasSize(1);
		Map<String, Object> event = events.get(0);
		assertThat(event.get("topic")).isEqualTo(Topics.USER_EVENTS);
		assertThat(event.get("event_type")).isEqualTo("UserRegistered");
		assertThat(event.get("event_version")).isEqualTo(1);
		JsonNode envelope = JSON.readTree((String) event.get("envelope"));
		assertThat(envelope.get("type").asString()).isEqualTo("UserRegistered");
		assertThat(envelope.get("aggregateId").asString()).isEqualTo(id.toString());
		JsonNode payload = envelope.get("payload");
		assertThat(payload.get("userId").asString()).isEqualTo(id.toString());
		assertThat(payload.get("username").asString()).isEqualTo(username);
		assertThat(payload.get("displayName").asString()).isEqualTo("Alice Liddell");
		assertThat(payload.get("photoUrl").isNull()).isTrue();
		assertThat(Instant.parse(payload.get("registeredAt").asString())).isEqualTo(createdAt);
	}

	@Test
	void anAccountWithoutANameIsShownByItsUsername() {
		String username = unique("nameless");

		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", username + "@example.com", "password", GOOD_PASSWORD));

		assertThat(response.statusCode()).isEqualTo(201);
		JsonNode account = json(response);
		assertThat(account.get("firstName").isNull()).isTrue();
		assertThat(account.get("lastName").isNull()).isTrue();
		String displayName = jdbc.queryForObject(
				"SELECT envelope->'payload'->>'displayName' FROM outbox WHERE aggregate_id = ?", String.class,
				account.get("id").asString());
		assertThat(displayName).isEqualTo(username);
	}

	@Test
	void theRegistrationEventReachesTheUserTopic() {
		String username = unique("kafka");
		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", username + "@example.com", "password", GOOD_PASSWORD));
		assertThat(response.statusCode()).isEqualTo(201);
		String id = json(response).get("id").asString();

		ConsumerRecord<String, String> record = readUserEvent(id, Duration.ofSeconds(30));

		assertThat(record).as("event keyed by the account id on " + Topics.USER_EVENTS).isNotNull();
		JsonNode envelope = JSON.readTree(record.value());
		assertThat(envelope.get("type").asString()).isEqualTo("UserRegistered");
		assertThat(envelope.get("payload").get("username").asString()).isEqualTo(username);
	}

	static Stream<Arguments> invalidRegistrations() {
		String tooLong = "x".repeat(151);
		return Stream.of(
				Arguments.of("username", "missing username", Map.of("username", "")),
				Arguments.of("username", "username with a space", Map.of("username", "two words")),
				Arguments.of("username", "username with a slash", Map.of("username", "a/b")),
				Arguments.of("username", "username of 151 characters", Map.of("username", tooLong)),
				Arguments.of("email", "email without @", Map.of("email", "not-an-email")),
				Arguments.of("email", "email without a domain dot", Map.of("email", "someone@localdomain")),
				Arguments.of("email", "email of 255 characters",
						Map.of("email", "a".repeat(243) + "@example.com")),
				Arguments.of("password", "password of 9 characters", Map.of("password", "Short9chr")),
				Arguments.of("password", "password of 129 characters", Map.of("password", "Long-" + "p".repeat(124))),
				Arguments.of("password", "password of digits only", Map.of("password", "73910582746")),
				Arguments.of("password", "common password", Map.of("password", "Password123")),
				Arguments.of("password", "password containing the username",
						Map.of("username", "zebedee_{n}", "password", "my-ZEBEDEE-secret")),
				Arguments.of("password", "password contained in the username",
						Map.of("username", "Marmaduke_Longname_{n}", "password", "marmaduke_longname")),
				Arguments.of("password", "password containing the email local part",
						Map.of("email", "quasimodo.{n}@example.com", "password", "bell-quasimodo-ringer")),
				Arguments.of("firstName", "first name of 151 characters", Map.of("firstName", tooLong)),
				Arguments.of("lastName", "last name of 151 characters", Map.of("lastName", tooLong)));
	}

	@ParameterizedTest(name = "{1} is refused")
	@MethodSource("invalidRegistrations")
	void anInvalidRegistrationIsRefusedWithTheFieldAndNothingIsStored(String field, String description,
			Map<String, String> overrides) {
		String n = unique("n");
		Map<String, String> body = new LinkedHashMap<>();
		body.put("username", unique("valid"));
		body.put("email", unique("valid") + "@example.com");
		body.put("password", GOOD_PASSWORD);
		overrides.forEach((key, value) -> body.put(key, value.replace("{n}", n)));

		HttpResponse<String> response = postJson("/api/accounts", body);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		List<String> fields = new ArrayList<>();
		problem.get("errors").forEach(error -> {
			fields.add(error.get("field").asString());
			assertThat(error.get("message").asString()).isNotBlank();
		});
		assertThat(fields).contains(field);
		assertThat(accountsNamed(body.get("username"), body.get("email"))).isZero();
	}

	@Test
	void aMissingPasswordIsRefused() {
		String username = unique("nopassword");
		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", username + "@example.com"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(json(response).get("errors").toString()).contains("\"password\"");
		assertThat(accountsNamed(username, username + "@example.com")).isZero();
	}

	@Test
	void registeringTwiceWithTheSameUsernameInAnotherCaseIsRefused() {
		String username = unique("Bob");
		assertThat(register(username, username + "@example.com").statusCode()).isEqualTo(201);

		HttpResponse<String> second = register(username.toUpperCase(), unique("other") + "@example.com");

		assertThat(second.statusCode()).isEqualTo(409);
		assertThat(second.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json(second);
		assertThat(problem.get("status").asInt()).isEqualTo(409);
		assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("username");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM account WHERE lower(username) = lower(?)", Long.class,
				username)).isEqualTo(1);
		assertThat(userRegisteredEventsFor(username)).isEqualTo(1);
	}

	@Test
	void registeringTwiceWithTheSameEmailInAnotherCaseIsRefused() {
		String email = unique("carol") + "@example.com";
		assertThat(register(unique("carol"), email).statusCode()).isEqualTo(201);
		String secondUsername = unique("carol");

		HttpResponse<String> second = register(secondUsername, email.toUpperCase());

		assertThat(second.statusCode()).isEqualTo(409);
		JsonNode problem = json(second);
		assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("email");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM account WHERE lower(email) = lower(?)", Long.class,
				email)).isEqualTo(1);
		assertThat(userRegisteredEventsFor(secondUsername)).isZero();
	}

	@Test
	void aUsernameThatIsAnotherAccountsEmailIsRefused() {
		String email = unique("dave") + "@example.com";
		assertThat(register(unique("dave"), email).statusCode()).isEqualTo(201);

		HttpResponse<String> second = register(email, unique("dave") + "@example.com");

		assertThat(second.statusCode()).isEqualTo(409);
		assertThat(json(second).get("errors").get(0).get("field").asString()).isEqualTo("username");
	}

	@Test
	void concurrentRegistrationsOfOneUsernameCreateOneAccount() {
		String username = unique("racer");
		List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			String body = JSON.writeValueAsString(Map.of("username", username, "email",
					unique("racer") + "@example.com", "password", GOOD_PASSWORD));
			attempts.add(plainClient().sendAsync(HttpRequest.newBuilder(URI.create(base() + "/api/accounts"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString()));
		}

		List<Integer> statuses = attempts.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

		assertThat(statuses).containsOnly(201, 409);
		assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM account WHERE lower(username) = lower(?)", Long.class,
				username)).isEqualTo(1);
		assertThat(userRegisteredEventsFor(username)).isEqualTo(1);
	}

	@Test
	void registrationTakesJsonOnlySoThatACrossSiteFormCannotPostIt() {
		String username = unique("form");
		HttpResponse<String> response = send(plainClient(),
				HttpRequest.newBuilder(URI.create(base() + "/api/accounts"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&email=" + username
							+ "%40example.com&password=correct+horse+battery+staple"))
					.build());

		assertThat(response.statusCode()).isEqualTo(415);
		assertThat(accountsNamed(username, username + "@example.com")).isZero();
	}

	private HttpResponse<String> register(String username, String email) {
		return postJson("/api/accounts", Map.of("username", username, "email", email, "password", GOOD_PASSWORD));
	}

	private long accountsNamed(String username, String email) {
		return jdbc.queryForObject("SELECT count(*) FROM account WHERE lower(username) = lower(?) OR lower(email) = lower(?)",
				Long.class, username, email);
	}

	private long userRegisteredEventsFor(String username) {
		return jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'UserRegistered' "
				+ "AND lower(envelope->'payload'->>'username') = lower(?)", Long.class, username);
	}

	private static ConsumerRecord<String, String> readUserEvent(String key, Duration timeout) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.kafka().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
				"auth-test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
			consumer.subscribe(List.of(Topics.USER_EVENTS));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					if (key.equals(record.key())) {
						return record;
					}
				}
			}
		}
		return null;
	}

}
