package dev.bookmarks.auth.oidc;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.bookmarks.auth.AuthServiceTest;
import dev.bookmarks.auth.Browser;
import dev.bookmarks.auth.OidcClient;
import dev.bookmarks.auth.OidcClient.Pkce;
import dev.bookmarks.auth.OidcClient.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.bookmarks.auth.OidcClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

/** OpenID Connect RP-initiated logout at {@code /connect/logout}, the discovered end_session_endpoint. */
class LogoutTest extends AuthServiceTest {

	private static final String PASSWORD = "a long and unusual passphrase";

	@Test
	void discoveryAdvertisesTheEndSessionEndpoint() {
		JsonNode configuration = json(get("/.well-known/openid-configuration", null));

		assertThat(configuration.get("end_session_endpoint").asString()).isEqualTo(ISSUER + "/connect/logout");
	}

	@Test
	void theMobileAppsLogoutEndsTheSessionAndReturnsToItsLoopbackUriOnAnyPort() {
		OidcClient client = new OidcClient(base());
		Browser browser = new Browser();
		Tokens tokens = client.signInWithPassword(browser, newAccount(), PASSWORD);
		assertThat(authorizeAgain(client, browser).statusCode()).as("signed in: a code at once").isEqualTo(302);
		assertThat(Browser.location(authorizeAgain(client, browser))).startsWith(OidcClient.MOBILE_REDIRECT_URI);

		HttpResponse<String> logout = browser.get(base() + "/connect/logout?id_token_hint=" + tokens.idToken()
				+ "&post_logout_redirect_uri=" + encode("http://127.0.0.1:61234/logout") + "&state=bye");

		assertThat(logout.statusCode()).isEqualTo(302);
		assertThat(Browser.location(logout)).isEqualTo("http://127.0.0.1:61234/logout?state=bye");
		HttpResponse<String> again = authorizeAgain(client, browser);
		assertThat(Browser.location(again)).isEqualTo(base() + "/login");
		// The sign-in's refresh token is revoked with the session.
		assertThat(client.refresh(tokens.refreshToken()).statusCode()).isEqualTo(400);
	}

	@Test
	void theMobileAppsCustomSchemeLogoutUriIsRegistered() {
		OidcClient client = new OidcClient(base());
		Browser browser = new Browser();
		Tokens tokens = client.signInWithPassword(browser, newAccount(), PASSWORD);

		HttpResponse<String> logout = browser.get(base() + "/connect/logout?id_token_hint=" + tokens.idToken()
				+ "&post_logout_redirect_uri=" + encode("bookmarks://logout"));

		assertThat(Browser.location(logout)).isEqualTo("bookmarks://logout");
		assertThat(Browser.location(authorizeAgain(client, browser))).isEqualTo(base() + "/login");
	}

	@Test
	void anUnregisteredPostLogoutUriIsRefusedAndTheSessionStays() {
		OidcClient client = new OidcClient(base());
		Browser browser = new Browser();
		Tokens tokens = client.signInWithPassword(browser, newAccount(), PASSWORD);

		for (String uri : new String[] { "https://evil.example/logout", "http://127.0.0.1:61234/elsewhere",
				"http://localhost:61234/logout", "bookmarks://callback" }) {
			HttpResponse<String> logout = browser.get(base() + "/connect/logout?id_token_hint=" + tokens.idToken()
					+ "&post_logout_redirect_uri=" + encode(uri));

			assertThat(logout.statusCode()).as(uri).isEqualTo(400);
			assertThat(logout.headers().firstValue("Location")).as(uri).isEmpty();
		}
		assertThat(Browser.location(authorizeAgain(client, browser))).startsWith(OidcClient.MOBILE_REDIRECT_URI);
		assertThat(client.refresh(tokens.refreshToken()).statusCode()).isEqualTo(200);
	}

	@Test
	void aLogoutWithoutAnIdTokenOfOursIsRefused() {
		OidcClient client = new OidcClient(base());
		Browser browser = new Browser();
		client.signInWithPassword(browser, newAccount(), PASSWORD);

		HttpResponse<String> logout = browser.get(base() + "/connect/logout?id_token_hint=not.a.token"
				+ "&post_logout_redirect_uri=" + encode("bookmarks://logout"));

		assertThat(logout.statusCode()).isEqualTo(400);
		assertThat(Browser.location(authorizeAgain(client, browser))).startsWith(OidcClient.MOBILE_REDIRECT_URI);
	}

	@Test
	void theWebAppsLogoutThroughTheGatewayReturnsToTheWebApp() {
		OidcClient client = new OidcClient(base());
		Browser browser = new Browser();
		String login = newAccount();
		String page = browser.get(base() + "/login").body();
		browser.postForm(base() + "/login", Map.of("username", login, "password", PASSWORD, "_csrf",
				Browser.csrfToken(page)));
		Pkce pkce = Pkce.generate();
		String code = OidcClient.codeFrom(
				browser.get(client.authorizeUrl(OidcClient.GATEWAY, OidcClient.GATEWAY_REDIRECT_URI, pkce, "g")), "g");
		HttpResponse<String> token = client.postForm(base() + "/oauth2/token",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
						OidcClient.GATEWAY_REDIRECT_URI, "code_verifier", pkce.verifier()),
				OidcClient.basic(OidcClient.GATEWAY, GATEWAY_SECRET));
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		String idToken = json(token).get("id_token").asString();

		// The gateway's logout success handler posts the form; GET works the same.
		HttpResponse<String> logout = browser.postForm(base() + "/connect/logout",
				Map.of("id_token_hint", idToken, "post_logout_redirect_uri", PUBLIC_ORIGIN + "/"));

		assertThat(logout.statusCode()).isEqualTo(302);
		assertThat(Browser.location(logout)).isEqualTo(PUBLIC_ORIGIN + "/");
		assertThat(Browser.location(authorizeAgain(client, browser))).isEqualTo(base() + "/login");
	}

	@Test
	void withoutAPostLogoutUriThePersonSeesTheyAreSignedOut() {
		OidcClient client = new OidcClient(base());
		Browser browser = new Browser();
		Tokens tokens = client.signInWithPassword(browser, newAccount(), PASSWORD);

		HttpResponse<String> logout = browser.get(base() + "/connect/logout?id_token_hint=" + tokens.idToken());

		assertThat(Browser.location(logout)).isEqualTo(base() + "/login?logout");
		assertThat(browser.get(Browser.location(logout)).body()).contains("You have been signed out.");
		assertThat(Browser.location(authorizeAgain(client, browser))).isEqualTo(base() + "/login");
	}

	private static HttpResponse<String> authorizeAgain(OidcClient client, Browser browser) {
		return browser.get(client.authorizeUrl(OidcClient.MOBILE, OidcClient.MOBILE_REDIRECT_URI, Pkce.generate(), "again"));
	}

	private String newAccount() {
		String username = unique("logout");
		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", username + "@example.com", "password", PASSWORD));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return username;
	}

}
