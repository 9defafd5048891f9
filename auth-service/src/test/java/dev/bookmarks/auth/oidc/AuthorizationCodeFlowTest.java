package dev.bookmarks.auth.oidc;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import dev.bookmarks.auth.AuthServiceTest;
import dev.bookmarks.auth.Browser;
import dev.bookmarks.auth.OidcClient.Pkce;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The mobile app's sign-in over real HTTP: authorization code with PKCE, then bearer tokens. */
class AuthorizationCodeFlowTest extends AuthServiceTest {

	private static final String PASSWORD = "a long and unusual passphrase";

	/** Any port: the app listens on an ephemeral loopback port (RFC 8252). */
	private static final String REDIRECT_URI = "http://127.0.0.1:54321/callback";

	private static final String GATEWAY_REDIRECT_URI = PUBLIC_ORIGIN + "/login/oauth2/code/bookmarks";

	@Test
	void theMobileAppSignsInByUsernameWithPkceAndCallsTheApi() {
		Account account = newAccount();

		Tokens tokens = signIn(account.username(), REDIRECT_URI);

		JsonNode claims = payloadOf(tokens.accessToken());
		assertThat(claims.get("iss").asString()).isEqualTo(ISSUER);
		assertThat(claims.get("sub").asString()).isEqualTo(account.id());
		// A single audience is written as a string, as RFC 7519 allows.
		assertThat(claims.get("aud").isArray() ? claims.get("aud").get(0).asString() : claims.get("aud").asString())
			.isEqualTo("bookmarks-api");
		assertThat(claims.get("client_id").asString()).isEqualTo("bookmarks-mobile");
		assertThat(claims.get("username").asString()).isEqualTo(account.username());
		assertThat(claims.get("roles")).hasSize(1);
		assertThat(claims.get("roles").get(0).asString()).isEqualTo("USER");
		long lifetime = claims.get("exp").asLong() - claims.get("iat").asLong();
		assertThat(lifetime).isPositive().isLessThanOrEqualTo(15 * 60);
		assertThat(tokens.response().get("token_type").asString()).isEqualTo("Bearer");
		assertThat(tokens.response().get("expires_in").asLong()).isLessThanOrEqualTo(15 * 60);

		JsonNode idToken = payloadOf(tokens.response().get("id_token").asString());
		assertThat(idToken.get("sub").asString()).isEqualTo(account.id());
		assertThat(idToken.get("aud").toString()).contains("bookmarks-mobile").doesNotContain("bookmarks-api");
		assertThat(idToken.get("preferred_username").asString()).isEqualTo(account.username());
		assertThat(idToken.get("email").asString()).isEqualTo(account.email());

		HttpResponse<String> me = get("/api/accounts/me", tokens.accessToken());
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat(json(me).get("id").asString()).isEqualTo(account.id());
		assertThat(json(me).get("username").asString()).isEqualTo(account.username());
		assertThat(json(me).get("email").asString()).isEqualTo(account.email());

		HttpResponse<String> userInfo = get("/userinfo", tokens.accessToken());
		assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(200);
		assertThat(json(userInfo).get("sub").asString()).isEqualTo(account.id());
		assertThat(json(userInfo).get("preferred_username").asString()).isEqualTo(account.username());
	}

	@Test
	void anIdTokenIsNoAccessToken() {
		Account account = newAccount();
		Tokens tokens = signIn(account.username(), REDIRECT_URI);

		HttpResponse<String> me = get("/api/accounts/me", tokens.response().get("id_token").asString());

		assertThat(me.statusCode()).isEqualTo(401);
	}

	@Test
	void anAccountIsReadableByItsOwnerOnly() {
		Account account = newAccount();
		Account someoneElse = newAccount();
		Tokens tokens = signIn(account.username(), REDIRECT_URI);

		HttpResponse<String> own = get("/api/accounts/" + account.id(), tokens.accessToken());
		HttpResponse<String> other = get("/api/accounts/" + someoneElse.id(), tokens.accessToken());

		assertThat(own.statusCode()).isEqualTo(200);
		assertThat(other.statusCode()).isEqualTo(403);
		assertThat(other.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(other.body()).doesNotContain(someoneElse.email());
	}

	@Test
	void theMobileAppSignsInByEmailInAnotherCase() {
		Account account = newAccount();

		Tokens tokens = signIn(account.email().toUpperCase(), "http://127.0.0.1:61999/callback");

		assertThat(payloadOf(tokens.accessToken()).get("sub").asString()).isEqualTo(account.id());
		assertThat(get("/api/accounts/me", tokens.accessToken()).statusCode()).isEqualTo(200);
	}

	@Test
	void theRefreshTokenRotatesAndTheOldOneStopsWorking() {
		Account account = newAccount();
		Tokens first = signIn(account.username(), REDIRECT_URI);
		assertThat(first.refreshToken()).isNotBlank();

		HttpResponse<String> refreshed = refresh(first.refreshToken());

		assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
		JsonNode second = json(refreshed);
		String secondRefreshToken = second.get("refresh_token").asString();
		assertThat(secondRefreshToken).isNotBlank().isNotEqualTo(first.refreshToken());
		String secondAccessToken = second.get("access_token").asString();
		assertThat(payloadOf(secondAccessToken).get("sub").asString()).isEqualTo(account.id());
		assertThat(get("/api/accounts/me", secondAccessToken).statusCode()).isEqualTo(200);

		HttpResponse<String> reused = refresh(first.refreshToken());
		assertThat(reused.statusCode()).isEqualTo(400);
		assertThat(json(reused).get("error").asString()).isEqualTo("invalid_grant");
		// Reuse revokes the whole sign-in (RefreshTokenReuseTest).
		assertThat(refresh(secondRefreshToken).statusCode()).isEqualTo(400);
	}

	@Test
	void aWrongPasswordShowsTheLoginErrorAndGivesNoCode() {
		Account account = newAccount();
		Browser browser = new Browser();
		Pkce pkce = Pkce.generate();
		String authorize = authorizeUrl(pkce, REDIRECT_URI, "state-1");
		String loginPage = Browser.location(browser.get(authorize));
		String csrf = Browser.csrfToken(browser.get(loginPage).body());

		HttpResponse<String> login = browser.postForm(loginPage,
				Map.of("username", account.username(), "password", "not the right password", "_csrf", csrf));

		assertThat(login.statusCode()).isEqualTo(302);
		String errorPage = Browser.location(login);
		assertThat(errorPage).endsWith("/auth/login?error");
		HttpResponse<String> page = browser.get(errorPage);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Invalid username or password");
		// Still signed out: asking again leads to the login page, not to the app with a code.
		HttpResponse<String> again = browser.get(authorize);
		assertThat(Browser.location(again)).startsWith(base() + "/login");
		assertThat(Browser.location(again)).doesNotContain("code=");
	}

	@Test
	void theLoginFormRefusesAPostWithoutTheCsrfToken() {
		Account account = newAccount();
		Browser browser = new Browser();
		browser.get(base() + "/login");

		HttpResponse<String> login = browser.postForm(base() + "/login",
				Map.of("username", account.username(), "password", PASSWORD));

		assertThat(login.statusCode()).isEqualTo(403);
	}

	@Test
	void anUnregisteredRedirectUriIsRefusedWithoutRedirecting() {
		Account account = newAccount();
		Browser browser = new Browser();
		signInBrowser(browser, account.username());

		HttpResponse<String> response = browser
			.get(authorizeUrl(Pkce.generate(), "https://evil.example/callback", "state-2"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
	}

	@Test
	void anAuthorizationRequestWithoutPkceGetsNoCode() {
		Account account = newAccount();
		Browser browser = new Browser();
		signInBrowser(browser, account.username());

		HttpResponse<String> response = browser.get(base() + "/oauth2/authorize?response_type=code"
				+ "&client_id=bookmarks-mobile&scope=openid&state=s&redirect_uri=" + encode(REDIRECT_URI));

		assertThat(response.statusCode()).isEqualTo(302);
		Map<String, String> callback = Browser.queryOf(Browser.location(response));
		assertThat(callback).doesNotContainKey("code");
		assertThat(callback.get("error")).isEqualTo("invalid_request");
	}

	@Test
	void theCodeIsWorthNothingWithoutTheRightVerifier() {
		Account account = newAccount();
		Browser browser = new Browser();
		Pkce pkce = Pkce.generate();
		signInBrowser(browser, account.username());
		String code = codeFrom(browser.get(authorizeUrl(pkce, REDIRECT_URI, "state-3")));

		HttpResponse<String> token = postForm(base() + "/oauth2/token",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT_URI, "client_id",
						"bookmarks-mobile", "code_verifier", Pkce.generate().verifier()));

		assertThat(token.statusCode()).isEqualTo(400);
		assertThat(json(token).get("error").asString()).isEqualTo("invalid_grant");
	}

	/** Spring Security 7's OAuth2 client sends PKCE for confidential clients too, and we require it. */
	@Test
	void theGatewayExchangesItsCodeWithItsSecret() {
		Account account = newAccount();
		Browser browser = new Browser();
		signInBrowser(browser, account.username());
		Pkce pkce = Pkce.generate();
		String code = codeFrom(browser.get(gatewayAuthorizeUrl(pkce)));
		Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
				GATEWAY_REDIRECT_URI, "code_verifier", pkce.verifier());

		HttpResponse<String> wrongSecret = postForm(base() + "/oauth2/token", form,
				basic("bookmarks-gateway", "not-the-secret"));
		HttpResponse<String> token = postForm(base() + "/oauth2/token", form,
				basic("bookmarks-gateway", GATEWAY_SECRET));

		assertThat(wrongSecret.statusCode()).isEqualTo(401);
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		JsonNode tokens = json(token);
		assertThat(payloadOf(tokens.get("access_token").asString()).get("sub").asString()).isEqualTo(account.id());
		assertThat(tokens.get("refresh_token").asString()).isNotBlank();
		HttpResponse<String> refreshed = postForm(base() + "/oauth2/token",
				Map.of("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asString()),
				basic("bookmarks-gateway", GATEWAY_SECRET));
		assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
	}

	@Test
	void aConfidentialClientCannotRefreshAsIfItWerePublic() {
		String refreshToken = gatewayRefreshToken(newAccount());

		HttpResponse<String> withoutSecret = postForm(base() + "/oauth2/token",
				Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", "bookmarks-gateway"));

		assertThat(withoutSecret.statusCode()).isEqualTo(401);
		assertThat(json(withoutSecret).get("error").asString()).isEqualTo("invalid_client");
	}

	/** The credential-less refresh of the public client is allowed at the token endpoint only. */
	@Test
	void thePublicClientCannotIntrospectTokens() {
		Tokens tokens = signIn(newAccount().username(), REDIRECT_URI);

		HttpResponse<String> introspection = postForm(base() + "/oauth2/introspect", Map.of("token",
				tokens.accessToken(), "client_id", "bookmarks-mobile", "grant_type", "refresh_token"));

		assertThat(introspection.statusCode()).isEqualTo(401);
		assertThat(introspection.body()).doesNotContain("\"active\"");
	}

	@Test
	void aRefreshTokenWorksOnlyForTheClientItWasIssuedTo() {
		String gatewaysToken = gatewayRefreshToken(newAccount());

		HttpResponse<String> asMobile = refresh(gatewaysToken);
		HttpResponse<String> forged = refresh("not-a-refresh-token");

		assertThat(asMobile.statusCode()).isEqualTo(400);
		assertThat(json(asMobile).get("error").asString()).isEqualTo("invalid_grant");
		assertThat(forged.statusCode()).isEqualTo(400);
		assertThat(json(forged).get("error").asString()).isEqualTo("invalid_grant");
	}

	@Test
	void discoveryAdvertisesTheIssuerAndItsKeys() {
		HttpResponse<String> discovery = get("/.well-known/openid-configuration", null);

		assertThat(discovery.statusCode()).isEqualTo(200);
		JsonNode configuration = json(discovery);
		assertThat(configuration.get("issuer").asString()).isEqualTo(ISSUER);
		assertThat(configuration.get("authorization_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/authorize");
		assertThat(configuration.get("token_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/token");
		assertThat(configuration.get("jwks_uri").asString()).isEqualTo(ISSUER + "/oauth2/jwks");
		assertThat(configuration.get("code_challenge_methods_supported").toString()).contains("S256");

		HttpResponse<String> jwks = get("/oauth2/jwks", null);
		assertThat(jwks.statusCode()).isEqualTo(200);
		JsonNode keys = json(jwks).get("keys");
		// The signing key first, then the previous key that is still published (KeyRotationTest).
		assertThat(keys).hasSize(2);
		assertThat(keys.get(0).get("kty").asString()).isEqualTo("RSA");
		assertThat(keys.get(0).get("kid").asString()).isNotBlank();
		assertThat(keys.get(0).has("d")).as("no private part").isFalse();
		assertThat(DATA_DIR.resolve("keys/auth-signing-key.json")).content().contains(keys.get(0).get("kid").asString());
	}

	// ----- the flow, step by step -----

	private Tokens signIn(String login, String redirectUri) {
		Browser browser = new Browser();
		Pkce pkce = Pkce.generate();
		String authorize = authorizeUrl(pkce, redirectUri, "xyz");

		HttpResponse<String> toLogin = browser.get(authorize);
		assertThat(toLogin.statusCode()).isEqualTo(302);
		String loginPage = Browser.location(toLogin);
		assertThat(loginPage).isEqualTo(base() + "/login");
		HttpResponse<String> page = browser.get(loginPage);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("text/html"));

		HttpResponse<String> signedIn = browser.postForm(loginPage,
				Map.of("username", login, "password", PASSWORD, "_csrf", Browser.csrfToken(page.body())));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		String continueAuthorize = Browser.location(signedIn);
		assertThat(continueAuthorize).startsWith(base() + "/oauth2/authorize");

		HttpResponse<String> callback = browser.get(continueAuthorize);
		String location = Browser.location(callback);
		assertThat(location).startsWith(redirectUri + "?");
		assertThat(Browser.queryOf(location).get("state")).isEqualTo("xyz");
		String code = Browser.queryOf(location).get("code");

		HttpResponse<String> token = postForm(base() + "/oauth2/token",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri, "client_id",
						"bookmarks-mobile", "code_verifier", pkce.verifier()));
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		JsonNode response = json(token);
		return new Tokens(response.get("access_token").asString(), response.get("refresh_token").asString(),
				response);
	}

	private void signInBrowser(Browser browser, String login) {
		String page = browser.get(base() + "/login").body();
		HttpResponse<String> response = browser.postForm(base() + "/login",
				Map.of("username", login, "password", PASSWORD, "_csrf", Browser.csrfToken(page)));
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(Browser.location(response)).doesNotContain("error");
	}

	private String gatewayRefreshToken(Account account) {
		Browser browser = new Browser();
		signInBrowser(browser, account.username());
		Pkce pkce = Pkce.generate();
		String code = codeFrom(browser.get(gatewayAuthorizeUrl(pkce)));
		HttpResponse<String> token = postForm(base() + "/oauth2/token",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", GATEWAY_REDIRECT_URI,
						"code_verifier", pkce.verifier()),
				basic("bookmarks-gateway", GATEWAY_SECRET));
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		return json(token).get("refresh_token").asString();
	}

	private String gatewayAuthorizeUrl(Pkce pkce) {
		return base() + "/oauth2/authorize?response_type=code&client_id=bookmarks-gateway&scope="
				+ encode("openid profile email") + "&state=g&redirect_uri=" + encode(GATEWAY_REDIRECT_URI)
				+ "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256";
	}

	private String authorizeUrl(Pkce pkce, String redirectUri, String state) {
		return base() + "/oauth2/authorize?response_type=code&client_id=bookmarks-mobile" + "&scope="
				+ encode("openid profile email") + "&state=" + state + "&redirect_uri=" + encode(redirectUri)
				+ "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256";
	}

	private static String codeFrom(HttpResponse<String> authorizeResponse) {
		assertThat(authorizeResponse.statusCode()).as(authorizeResponse.body()).isEqualTo(302);
		String code = Browser.queryOf(Browser.location(authorizeResponse)).get("code");
		assertThat(code).as(Browser.location(authorizeResponse)).isNotBlank();
		return code;
	}

	private HttpResponse<String> refresh(String refreshToken) {
		return postForm(base() + "/oauth2/token",
				Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", "bookmarks-mobile"));
	}

	private HttpResponse<String> postForm(String url, Map<String, String> form, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Browser.encode(form)));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(plainClient(), request.build());
	}

	private static String[] basic(String user, String password) {
		String credentials = Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return new String[] { "Authorization", "Basic " + credentials };
	}

	private Account newAccount() {
		String username = unique("mobile");
		String email = username + "@example.com";
		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", email, "password", PASSWORD));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return new Account(json(response).get("id").asString(), username, email);
	}

	private static JsonNode payloadOf(String jwt) {
		String[] parts = jwt.split("\\.");
		assertThat(parts).hasSize(3);
		return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private record Account(String id, String username, String email) {
	}

	private record Tokens(String accessToken, String refreshToken, JsonNode response) {
	}

}
