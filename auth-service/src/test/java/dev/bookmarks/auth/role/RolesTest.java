package dev.bookmarks.auth.role;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bookmarks.auth.SignIn;
import dev.bookmarks.auth.SignedInTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles: granted by admins over the API, the first admin from configuration. */
@ExtendWith(OutputCaptureExtension.class)
class RolesTest extends SignedInTest {

	/** The configured initial admin, registered once per test context. */
	private static Person admin;

	@Autowired
	InitialAdmins initialAdmins;

	/** How an operator makes the first admin: register the account, then restart with its name configured. */
	@BeforeEach
	void admin() {
		if (admin == null) {
			UUID id = register(INITIAL_ADMIN, INITIAL_ADMIN + "@example.com");
			initialAdmins.grantToExistingAccounts();
			admin = new Person(id, INITIAL_ADMIN, INITIAL_ADMIN + "@example.com",
					signIn().tokens(INITIAL_ADMIN, PASSWORD));
		}
	}

	@Test
	void theConfiguredInitialAdminIsAnAdminAfterTheRestart() {
		assertThat(SignIn.claimsOf(admin.accessToken()).get("roles").toString()).contains("\"ADMIN\"");
		assertThat(jdbc.queryForObject("SELECT roles::text FROM account WHERE id = ?", String.class, admin.id()))
			.isEqualTo("{USER,ADMIN}");
		List<JsonNode> events = outboxPayloads(admin.id(), "UserRolesChanged");
		assertThat(events).hasSize(1);
		assertThat(events.get(0).get("roles").toString()).isEqualTo("[\"USER\",\"ADMIN\"]");
	}

	/** Otherwise whoever registers a listed name first, anyone at all, is an admin. */
	@Test
	void registeringAConfiguredNameWhileTheServiceRunsGrantsNoAdmin() {
		UUID id = register(LATER_ADMIN, LATER_ADMIN + "@example.com");

		String accessToken = signIn().tokens(LATER_ADMIN, PASSWORD).accessToken();

		assertThat(SignIn.claimsOf(accessToken).get("roles").toString()).isEqualTo("[\"USER\"]");
		assertThat(jdbc.queryForObject("SELECT roles::text FROM account WHERE id = ?", String.class, id))
			.isEqualTo("{USER}");
		assertThat(outboxPayloads(id, "UserRolesChanged")).isEmpty();
	}

	@Test
	void aConfiguredNameWithoutAnAccountIsAWarningAtStartup(CapturedOutput output) {
		initialAdmins.grantToExistingAccounts();

		assertThat(output).containsPattern("WARN .*" + ABSENT_ADMIN + " is named in bookmarks.auth.initial-admins, "
				+ "but no account has that username");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM account WHERE lower(username) = ?", Long.class,
				ABSENT_ADMIN)).isZero();
	}

	@Test
	void aConfiguredAccountThatExistedBeforeIsMadeAdminAtStartup() {
		UUID id = UUID.randomUUID();
		// As if it had registered before it was named in the configuration.
		jdbc.update("""
				INSERT INTO account (id, username, email, password_hash) VALUES (?, ?, ?, '{noop}unusable')""", id,
				STARTUP_ADMIN, STARTUP_ADMIN.toLowerCase() + "@example.com");

		initialAdmins.grantToExistingAccounts();
		initialAdmins.grantToExistingAccounts();

		assertThat(jdbc.queryForObject("SELECT roles::text FROM account WHERE id = ?", String.class, id))
			.isEqualTo("{USER,ADMIN}");
		assertThat(outboxPayloads(id, "UserRolesChanged")).as("granted once").hasSize(1);
	}

	@Test
	void anAdminGrantsModeratorAndTheNextTokenCarriesIt() {
		Person person = newPerson("moderator");
		assertThat(SignIn.claimsOf(person.accessToken()).get("roles").toString()).isEqualTo("[\"USER\"]");

		HttpResponse<String> response = putRoles(admin, person.id(), "{\"roles\": [\"USER\", \"MODERATOR\"]}");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode account = json(response);
		assertThat(account.get("id").asString()).isEqualTo(person.id().toString());
		assertThat(account.get("username").asString()).isEqualTo(person.username());
		assertThat(account.get("roles").toString()).isEqualTo("[\"USER\",\"MODERATOR\"]");
		assertThat(account.has("passwordHash")).isFalse();
		HttpResponse<String> refreshed = signIn().refresh(person.tokens().refreshToken());
		assertThat(refreshed.statusCode()).isEqualTo(200);
		JsonNode claims = SignIn.claimsOf(json(refreshed).get("access_token").asString());
		assertThat(claims.get("roles").toString()).isEqualTo("[\"USER\",\"MODERATOR\"]");
		List<JsonNode> events = outboxPayloads(person.id(), "UserRolesChanged");
		assertThat(events).hasSize(1);
		assertThat(events.get(0).get("userId").asString()).isEqualTo(person.id().toString());
		assertThat(events.get(0).get("roles").toString()).isEqualTo("[\"USER\",\"MODERATOR\"]");
		assertThat(events.get(0).get("changedAt").asString()).isNotBlank();
	}

	@Test
	void userIsAlwaysKeptAndTheOrderIsFixed() {
		Person person = newPerson("always");

		JsonNode none = json(putRoles(admin, person.id(), "{\"roles\": []}"));
		JsonNode both = json(putRoles(admin, person.id(), "{\"roles\": [\"ADMIN\", \"MODERATOR\", \"ADMIN\"]}"));

		assertThat(none.get("roles").toString()).isEqualTo("[\"USER\"]");
		assertThat(both.get("roles").toString()).isEqualTo("[\"USER\",\"MODERATOR\",\"ADMIN\"]");
		assertThat(outboxPayloads(person.id(), "UserRolesChanged")).as("the first PUT changed nothing").hasSize(1);
	}

	@Test
	void removingARoleIsAChangeToo() {
		Person person = newPerson("demoted");
		putRoles(admin, person.id(), "{\"roles\": [\"MODERATOR\"]}");

		JsonNode account = json(putRoles(admin, person.id(), "{\"roles\": [\"USER\"]}"));

		assertThat(account.get("roles").toString()).isEqualTo("[\"USER\"]");
		assertThat(outboxPayloads(person.id(), "UserRolesChanged")).extracting(event -> event.get("roles").toString())
			.containsExactly("[\"USER\",\"MODERATOR\"]", "[\"USER\"]");
	}

	@Test
	void anUnknownRoleIsA400AndChangesNothing() {
		Person person = newPerson("unknownrole");

		HttpResponse<String> response = putRoles(admin, person.id(), "{\"roles\": [\"MODERATOR\", \"SUPERUSER\"]}");

		assertThat(invalidFields(response)).containsExactly("roles");
		assertThat(json(response).get("errors").get(0).get("message").asString()).contains("SUPERUSER");
		assertThat(jdbc.queryForObject("SELECT roles::text FROM account WHERE id = ?", String.class, person.id()))
			.isEqualTo("{USER}");
		assertThat(outboxPayloads(person.id(), "UserRolesChanged")).isEmpty();
	}

	@Test
	void rolesInAnotherCaseOrMissingAreA400() {
		Person person = newPerson("lowercase");

		assertThat(invalidFields(putRoles(admin, person.id(), "{\"roles\": [\"moderator\"]}"))).containsExactly("roles");
		assertThat(invalidFields(putRoles(admin, person.id(), "{}"))).containsExactly("roles");
	}

	@Test
	void anUnknownAccountIsA404() {
		UUID nobody = UUID.randomUUID();

		assertProblem(putRoles(admin, nobody, "{\"roles\": [\"MODERATOR\"]}"), 404);
		assertProblem(get("/api/admin/accounts/" + nobody, admin.accessToken()), 404);
	}

	@Test
	void anAdminReadsAnyAccountWithItsRoles() {
		Person person = newPerson("readable");

		HttpResponse<String> response = get("/api/admin/accounts/" + person.id(), admin.accessToken());

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode account = json(response);
		assertThat(account.get("username").asString()).isEqualTo(person.username());
		assertThat(account.get("email").asString()).isEqualTo(person.email());
		assertThat(account.get("roles").toString()).isEqualTo("[\"USER\"]");
		assertThat(account.has("passwordHash")).isFalse();
	}

	@Test
	void someoneWhoIsNotAnAdminGets403AndChangesNothing() {
		Person person = newPerson("notadmin");
		Person moderator = newPerson("mod");
		putRoles(admin, moderator.id(), "{\"roles\": [\"MODERATOR\"]}");
		String moderatorToken = json(signIn().refresh(moderator.tokens().refreshToken())).get("access_token").asString();

		for (String token : List.of(person.accessToken(), moderatorToken)) {
			assertProblem(putRoles(token, person.id(), "{\"roles\": [\"ADMIN\"]}"), 403);
			assertProblem(get("/api/admin/accounts/" + person.id(), token), 403);
			// Not even whether an account exists.
			assertProblem(get("/api/admin/accounts/" + UUID.randomUUID(), token), 403);
		}
		assertThat(jdbc.queryForObject("SELECT roles::text FROM account WHERE id = ?", String.class, person.id()))
			.isEqualTo("{USER}");
	}

	@Test
	void withoutATokenTheAdminApiIsA401Problem() {
		assertProblem(get("/api/admin/accounts/" + UUID.randomUUID(), null), 401);
		assertProblem(callJson("PUT", "/api/admin/accounts/" + UUID.randomUUID() + "/roles", null,
				Map.of("roles", List.of("ADMIN"))), 401);
	}

	private HttpResponse<String> putRoles(Person caller, UUID accountId, String body) {
		return putRoles(caller.accessToken(), accountId, body);
	}

	private HttpResponse<String> putRoles(String token, UUID accountId, String body) {
		return callJson("PUT", "/api/admin/accounts/" + accountId + "/roles", token, body);
	}

}
