package dev.bookmarks.auth.profile;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.bookmarks.auth.SignedInTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code PATCH /api/accounts/me} over real HTTP with real tokens. */
class ProfileTest extends SignedInTest {

	@Test
	void patchingChangesOnlyTheFieldsPresentAndReadsBack() {
		Person ada = newPerson("ada");
		assertThat(patch(ada, Map.of("firstName", "Ada", "lastName", "Byron")).statusCode()).isEqualTo(200);

		HttpResponse<String> response = patch(ada, Map.of("lastName", "  Lovelace ", "dateOfBirth", "1985-12-10"));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/json"));
		JsonNode patched = json(response);
		JsonNode me = json(get("/api/accounts/me", ada.accessToken()));
		for (JsonNode account : List.of(patched, me)) {
			assertThat(account.get("id").asString()).isEqualTo(ada.id().toString());
			assertThat(account.get("username").asString()).isEqualTo(ada.username());
			assertThat(account.get("email").asString()).isEqualTo(ada.email());
			assertThat(account.get("firstName").asString()).isEqualTo("Ada");
			assertThat(account.get("lastName").asString()).isEqualTo("Lovelace");
			assertThat(account.get("dateOfBirth").asString()).isEqualTo("1985-12-10");
			assertThat(account.get("photoUrl").isNull()).isTrue();
			assertThat(account.has("roles")).isFalse();
		}
	}

	@Test
	void nullOrBlankClearsANameAndNullClearsTheDateOfBirth() {
		Person grace = newPerson("grace");
		patch(grace, Map.of("firstName", "Grace", "lastName", "Hopper", "dateOfBirth", "1906-12-09"));
		Map<String, Object> clear = new LinkedHashMap<>();
		clear.put("firstName", null);
		clear.put("lastName", "   ");
		clear.put("dateOfBirth", null);

		HttpResponse<String> response = patch(grace, clear);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode account = json(response);
		assertThat(account.get("firstName").isNull()).isTrue();
		assertThat(account.get("lastName").isNull()).isTrue();
		assertThat(account.get("dateOfBirth").isNull()).isTrue();
		assertThat(account.get("email").asString()).isEqualTo(grace.email());
	}

	@Test
	void everyChangeWritesOneUserProfileUpdatedWithTheWholePublicProfile() {
		Person alan = newPerson("alan");

		patch(alan, Map.of("firstName", "Alan"));
		patch(alan, Map.of("lastName", "Turing"));
		patch(alan, Map.of("dateOfBirth", "1912-06-23"));

		List<JsonNode> events = outboxPayloads(alan.id(), "UserProfileUpdated");
		assertThat(events).hasSize(3);
		assertThat(events).extracting(event -> event.get("displayName").asString())
			.containsExactly("Alan", "Alan Turing", "Alan Turing");
		JsonNode event = events.get(2);
		assertThat(event.get("userId").asString()).isEqualTo(alan.id().toString());
		assertThat(event.get("username").asString()).isEqualTo(alan.username());
		assertThat(event.get("photoUrl").isNull()).isTrue();
		assertThat(event.has("email")).as("the email is private").isFalse();
		List<Instant> times = events.stream().map(e -> Instant.parse(e.get("updatedAt").asString())).toList();
		assertThat(times).isSorted().doesNotHaveDuplicates();
		Instant updatedAt = jdbc.queryForObject("SELECT updated_at FROM account WHERE id = ?",
				java.time.OffsetDateTime.class, alan.id()).toInstant();
		assertThat(times.get(2)).isEqualTo(updatedAt);
	}

	@Test
	void aPatchThatChangesNothingWritesNoEvent() {
		Person edsger = newPerson("edsger");
		patch(edsger, Map.of("firstName", "Edsger"));

		HttpResponse<String> same = patch(edsger, Map.of("firstName", "Edsger"));
		HttpResponse<String> empty = patch(edsger, Map.of());

		assertThat(same.statusCode()).isEqualTo(200);
		assertThat(empty.statusCode()).isEqualTo(200);
		assertThat(json(empty).get("firstName").asString()).isEqualTo("Edsger");
		assertThat(outboxPayloads(edsger.id(), "UserProfileUpdated")).hasSize(1);
	}

	/** Without the password and the mailed link nothing about the address changes here. */
	@Test
	void anEmailChangeNeedsTheCurrentPasswordAndIsOnlyAccepted() {
		Person ada = newPerson("emailer");
		String newEmail = unique("elsewhere") + "@example.com";

		HttpResponse<String> withoutPassword = patch(ada, Map.of("email", newEmail));
		HttpResponse<String> accepted = patch(ada, Map.of("email", newEmail, "currentPassword", PASSWORD));

		assertThat(invalidFields(withoutPassword)).containsExactly("currentPassword");
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		assertThat(json(accepted).get("email").asString()).isEqualTo(ada.email());
		assertThat(json(accepted).get("pendingEmail").asString()).isEqualTo(newEmail);
		JsonNode me = json(get("/api/accounts/me", ada.accessToken()));
		assertThat(me.get("email").asString()).isEqualTo(ada.email());
		assertThat(me.has("pendingEmail")).isFalse();
	}

	static Stream<Arguments> invalidPatches() {
		String tooLong = "x".repeat(151);
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		Map<String, Object> nullEmail = new LinkedHashMap<>();
		nullEmail.put("email", null);
		return Stream.of(
				Arguments.of("firstName", "first name of 151 characters", Map.of("firstName", tooLong)),
				Arguments.of("lastName", "last name of 151 characters", Map.of("lastName", tooLong)),
				Arguments.of("firstName", "first name that is a number", Map.of("firstName", 42)),
				Arguments.of("email", "email without @", Map.of("email", "not-an-email")),
				Arguments.of("email", "email without a domain dot", Map.of("email", "someone@localdomain")),
				Arguments.of("email", "email of 255 characters", Map.of("email", "a".repeat(243) + "@example.com")),
				Arguments.of("email", "blank email", Map.of("email", " ")),
				Arguments.of("email", "null email", nullEmail),
				Arguments.of("dateOfBirth", "date of birth tomorrow", Map.of("dateOfBirth", today.plusDays(1).toString())),
				Arguments.of("dateOfBirth", "date of birth today", Map.of("dateOfBirth", today.toString())),
				Arguments.of("dateOfBirth", "date of birth before 1900", Map.of("dateOfBirth", "1899-12-31")),
				Arguments.of("dateOfBirth", "date of birth that is no date", Map.of("dateOfBirth", "10/12/1815")),
				Arguments.of("dateOfBirth", "date of birth on 30 February", Map.of("dateOfBirth", "1990-02-30")),
				Arguments.of("username", "a username", Map.of("username", "someone-else")),
				Arguments.of("photoUrl", "a photo URL", Map.of("photoUrl", "https://evil.example/x.svg")));
	}

	@ParameterizedTest(name = "{1} is refused")
	@MethodSource("invalidPatches")
	void anInvalidPatchIsRefusedWithTheFieldAndChangesNothing(String field, String description,
			Map<String, Object> body) {
		Person person = newPerson("invalid");
		Map<String, Object> withValidName = new LinkedHashMap<>(body);
		withValidName.putIfAbsent("firstName", "Valid");

		HttpResponse<String> response = patch(person, withValidName);

		assertThat(invalidFields(response)).contains(field);
		JsonNode me = json(get("/api/accounts/me", person.accessToken()));
		assertThat(me.get("firstName").isNull()).isTrue();
		assertThat(me.get("email").asString()).isEqualTo(person.email());
		assertThat(outboxPayloads(person.id(), "UserProfileUpdated")).isEmpty();
	}

	@Test
	void aBodyThatIsNoJsonObjectIsA400Problem() {
		Person person = newPerson("array");

		assertProblem(callJson("PATCH", "/api/accounts/me", person.accessToken(), "[1, 2]"), 400);
		assertProblem(callJson("PATCH", "/api/accounts/me", person.accessToken(), "{not json"), 400);
	}

	@Test
	void withoutATokenPatchingIsA401Problem() {
		assertProblem(callJson("PATCH", "/api/accounts/me", null, Map.of("firstName", "Mallory")), 401);
	}

	@Test
	void theNewNamesReachTheIdTokenClaimsOfTheNextSignIn() {
		Person katherine = newPerson("katherine");
		patch(katherine, Map.of("firstName", "Katherine", "lastName", "Johnson"));

		HttpResponse<String> userInfo = get("/userinfo", signIn().tokens(katherine.username(), PASSWORD).accessToken());

		assertThat(userInfo.statusCode()).isEqualTo(200);
		assertThat(json(userInfo).get("name").asString()).isEqualTo("Katherine Johnson");
	}

	private HttpResponse<String> patch(Person person, Map<String, ?> body) {
		return callJson("PATCH", "/api/accounts/me", person.accessToken(), body);
	}

}
