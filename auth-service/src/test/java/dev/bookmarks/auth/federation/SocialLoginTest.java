package dev.bookmarks.auth.federation;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bookmarks.auth.AuthServiceTest;
import dev.bookmarks.auth.Browser;
import dev.bookmarks.auth.OidcClient;
import dev.bookmarks.auth.OidcClient.Pkce;
import dev.bookmarks.auth.OidcClient.Tokens;
import dev.bookmarks.auth.TestIdentityProvider;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Social login over real HTTP against a real OpenID Connect provider running in the test: the
 * mobile app's authorization request, the login page, the provider's button, the provider, the
 * callback, back to the authorization request, the code, the tokens.
 */
class SocialLoginTest extends AuthServiceTest {

	@Test
	void theLoginPageOffersOneButtonPerConfiguredProvider() {
		String page = new Browser().get(base() + "/login").body();

		assertThat(page).contains("Sign in with " + TestIdentityProvider.OIDC_NAME)
			.contains("href=\"/auth/oauth2/authorization/" + TestIdentityProvider.OIDC_REGISTRATION + "\"")
			.contains("Sign in with " + TestIdentityProvider.GITHUB_LIKE_NAME)
			.contains("href=\"/auth/oauth2/authorization/" + TestIdentityProvider.GITHUB_LIKE_REGISTRATION + "\"");
	}

	@Test
	void theFirstSocialSignInCreatesAnAccountAndTheAppGetsTokensForIt() {
		String subject = UUID.randomUUID().toString();
		String preferred = unique("Zoë.Ng");
		String email = unique("zoe") + "@idp.example";
		TestIdentityProvider.nextOidcSignIn(subject, Map.of("preferred_username", preferred, "given_name", "Zoë",
				"family_name", "Ng", "email", email, "email_verified", true));

		Tokens tokens = signInThroughProvider(new Browser(), TestIdentityProvider.OIDC_REGISTRATION);

		String accountId = OidcClient.payloadOf(tokens.accessToken()).get("sub").asString();
		Map<String, Object> account = jdbc.queryForMap("SELECT * FROM account WHERE id = ?::uuid", accountId);
		String expectedUsername = preferred.replace("ë", "e");
		assertThat(account.get("username")).isEqualTo(expectedUsername);
		assertThat(account.get("first_name")).isEqualTo("Zoë");
		assertThat(account.get("last_name")).isEqualTo("Ng");
		assertThat(account.get("email")).isEqualTo(email);
		assertThat(jdbc.queryForObject("SELECT account_id::text FROM federated_identity WHERE provider = ? AND subject = ?",
				String.class, TestIdentityProvider.OIDC_REGISTRATION, subject)).isEqualTo(accountId);
		assertThat(OidcClient.payloadOf(tokens.accessToken()).get("username").asString()).isEqualTo(expectedUsername);
		JsonNode idToken = OidcClient.payloadOf(tokens.idToken());
		assertThat(idToken.get("sub").asString()).isEqualTo(accountId);
		assertThat(idToken.get("name").asString()).isEqualTo("Zoë Ng");
		HttpResponse<String> me = get("/api/accounts/me", tokens.accessToken());
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat(json(me).get("username").asString()).isEqualTo(expectedUsername);
		assertThat(userRegisteredEvents(accountId)).hasSize(1);
		assertThat(userRegisteredEvents(accountId).get(0)).contains("\"displayName\":\"Zoë Ng\"");
		// The authorization holds the local sign-in, like the login form's, and nothing of the provider.
		String attributes = jdbc.queryForObject("SELECT attributes FROM oauth2_authorization WHERE principal_name = ?",
				String.class, accountId);
		assertThat(attributes).contains("UsernamePasswordAuthenticationToken")
			.doesNotContain("OAuth2AuthenticationToken")
			.doesNotContain(subject);
		assertThat(new OidcClient(base()).refresh(tokens.refreshToken()).statusCode()).isEqualTo(200);
	}

	@Test
	void theSameProviderIdentitySignsInAsTheSameAccountLater() {
		String subject = UUID.randomUUID().toString();
		Map<String, Object> claims = Map.of("preferred_username", unique("returning"), "email_verified", false);
		TestIdentityProvider.nextOidcSignIn(subject, claims);
		String first = subjectOf(signInThroughProvider(new Browser(), TestIdentityProvider.OIDC_REGISTRATION));
		// The provider now says something else about the person; the link is by its subject alone.
		TestIdentityProvider.nextOidcSignIn(subject, Map.of("preferred_username", unique("renamed")));

		String second = subjectOf(signInThroughProvider(new Browser(), TestIdentityProvider.OIDC_REGISTRATION));

		assertThat(second).isEqualTo(first);
		assertThat(userRegisteredEvents(first)).hasSize(1);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM federated_identity WHERE subject = ?", Integer.class,
				subject)).isEqualTo(1);
	}

	@Test
	void anEmailTheProviderDidNotVerifyIsNotCopied() {
		String email = unique("unverified") + "@idp.example";
		TestIdentityProvider.nextOidcSignIn(UUID.randomUUID().toString(),
				Map.of("preferred_username", unique("unverified"), "email", email, "email_verified", false));

		Tokens tokens = signInThroughProvider(new Browser(), TestIdentityProvider.OIDC_REGISTRATION);

		String accountId = subjectOf(tokens);
		assertThat(jdbc.queryForObject("SELECT email FROM account WHERE id = ?::uuid", String.class, accountId)).isNull();
		assertThat(OidcClient.payloadOf(tokens.idToken()).has("email")).isFalse();
		assertThat(json(get("/api/accounts/me", tokens.accessToken())).get("email").isNull()).isTrue();
	}

	/** Never linked by email: the provider's claim to an existing account's address gets it nothing. */
	@Test
	void aVerifiedEmailThatAnotherAccountHasIsNeitherCopiedNorLinked() {
		String existingUsername = unique("owner");
		String email = existingUsername + "@example.com";
		HttpResponse<String> registered = postJson("/api/accounts",
				Map.of("username", existingUsername, "email", email, "password", "a long and unusual passphrase"));
		String ownerId = json(registered).get("id").asString();
		TestIdentityProvider.nextOidcSignIn(UUID.randomUUID().toString(),
				Map.of("email", email.toUpperCase(), "email_verified", true));

		String accountId = subjectOf(signInThroughProvider(new Browser(), TestIdentityProvider.OIDC_REGISTRATION));

		assertThat(accountId).isNotEqualTo(ownerId);
		Map<String, Object> account = jdbc.queryForMap("SELECT username, email FROM account WHERE id = ?::uuid",
				accountId);
		assertThat(account.get("email")).isNull();
		// The username comes from the address's local part, which the owner already uses as username.
		assertThat((String) account.get("username")).isEqualToIgnoringCase(existingUsername + "2");
	}

	@Test
	void aGithubStyleSignInTakesTheLoginAsUsernameAndNoUnverifiedEmail() {
		long githubId = System.nanoTime();
		String login = unique("octocat");
		TestIdentityProvider.nextGithubLikeSignIn(
				Map.of("id", githubId, "login", login, "name", "The Octocat", "email", login + "@github.example"));

		Tokens tokens = signInThroughProvider(new Browser(), TestIdentityProvider.GITHUB_LIKE_REGISTRATION);

		String accountId = subjectOf(tokens);
		Map<String, Object> account = jdbc.queryForMap("SELECT * FROM account WHERE id = ?::uuid", accountId);
		assertThat(account.get("username")).isEqualTo(login);
		assertThat(account.get("first_name")).isEqualTo("The Octocat");
		assertThat(account.get("email")).isNull();
		assertThat(jdbc.queryForObject("SELECT account_id::text FROM federated_identity WHERE provider = ? AND subject = ?",
				String.class, TestIdentityProvider.GITHUB_LIKE_REGISTRATION, Long.toString(githubId)))
			.isEqualTo(accountId);
	}

	/** A provider's preferred username picks the local one: it must not pick admin rights too. */
	@Test
	void aSocialSignInThatTakesAConfiguredInitialAdminNameGetsNoAdmin() {
		TestIdentityProvider.nextOidcSignIn(UUID.randomUUID().toString(),
				Map.of("preferred_username", SOCIAL_ADMIN, "email_verified", false));

		Tokens tokens = signInThroughProvider(new Browser(), TestIdentityProvider.OIDC_REGISTRATION);

		String accountId = subjectOf(tokens);
		assertThat(jdbc.queryForObject("SELECT username FROM account WHERE id = ?::uuid", String.class, accountId))
			.isEqualTo(SOCIAL_ADMIN);
		assertThat(jdbc.queryForObject("SELECT roles::text FROM account WHERE id = ?::uuid", String.class, accountId))
			.isEqualTo("{USER}");
		assertThat(OidcClient.payloadOf(tokens.accessToken()).get("roles").toString()).isEqualTo("[\"USER\"]");
	}

	@Test
	void anAccountWithoutEmailChangesItsName() {
		TestIdentityProvider.nextGithubLikeSignIn(Map.of("id", System.nanoTime(), "login", unique("noemail")));
		Tokens tokens = signInThroughProvider(new Browser(), TestIdentityProvider.GITHUB_LIKE_REGISTRATION);

		HttpResponse<String> patched = send(plainClient(),
				HttpRequest.newBuilder(URI.create(base() + "/api/accounts/me"))
					.timeout(Duration.ofSeconds(20))
					.header("Authorization", "Bearer " + tokens.accessToken())
					.header("Content-Type", "application/json")
					.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"firstName\": \"Octavia\"}"))
					.build());

		assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
		assertThat(json(patched).get("firstName").asString()).isEqualTo("Octavia");
		assertThat(json(patched).get("email").isNull()).isTrue();
	}

	@Test
	void aRefusalAtTheProviderLeadsBackToTheLoginPageSignedOut() {
		Browser browser = new Browser();
		OidcClient client = new OidcClient(base());
		String authorize = client.authorizeUrl(OidcClient.MOBILE, OidcClient.MOBILE_REDIRECT_URI, Pkce.generate(), "s");
		browser.get(authorize);
		String toProvider = Browser.location(
				browser.get(base() + "/oauth2/authorization/" + TestIdentityProvider.OIDC_REGISTRATION));
		String state = Browser.queryOf(toProvider).get("state");

		HttpResponse<String> callback = browser.get(base() + "/login/oauth2/code/"
				+ TestIdentityProvider.OIDC_REGISTRATION + "?error=access_denied&state=" + OidcClient.encode(state));

		assertThat(Browser.location(callback)).isEqualTo(base() + "/login?social-error");
		assertThat(browser.get(Browser.location(callback)).body()).contains("did not work");
		assertThat(Browser.location(browser.get(authorize))).isEqualTo(base() + "/login");
	}

	/** The whole dance, step by step, as a browser does it. */
	private Tokens signInThroughProvider(Browser browser, String registrationId) {
		OidcClient client = new OidcClient(base());
		Pkce pkce = Pkce.generate();
		String authorize = client.authorizeUrl(OidcClient.MOBILE, OidcClient.MOBILE_REDIRECT_URI, pkce, "social");
		String loginPage = Browser.location(browser.get(authorize));
		assertThat(loginPage).isEqualTo(base() + "/login");
		assertThat(browser.get(loginPage).body()).contains("/auth/oauth2/authorization/" + registrationId);

		HttpResponse<String> toProvider = browser.get(base() + "/oauth2/authorization/" + registrationId);
		assertThat(toProvider.statusCode()).isEqualTo(302);
		assertThat(Browser.location(toProvider)).doesNotStartWith(base());
		String callback = Browser.location(toProvider);
		while (!callback.startsWith(base())) {
			callback = Browser.location(browser.get(callback));
		}
		assertThat(callback).startsWith(base() + "/login/oauth2/code/" + registrationId + "?");
		HttpResponse<String> signedIn = browser.get(callback);
		String continueAuthorize = Browser.location(signedIn);
		assertThat(continueAuthorize).startsWith(base() + "/oauth2/authorize");

		return client.exchange(OidcClient.codeFrom(browser.get(continueAuthorize), "social"), pkce);
	}

	private List<String> userRegisteredEvents(String accountId) {
		return jdbc.queryForList("SELECT envelope::text FROM outbox WHERE aggregate_id = ? AND event_type = 'UserRegistered'",
				String.class, accountId);
	}

	private static String subjectOf(Tokens tokens) {
		return OidcClient.payloadOf(tokens.accessToken()).get("sub").asString();
	}

}
