package dev.bookmarks.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import dev.bookmarks.auth.OidcClient.Pkce;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signs people in the way clients do, over real HTTP: the mobile app's authorization code with
 * PKCE, and a browser's form login that leaves a session cookie.
 */
public final class SignIn {

	public static final String REDIRECT_URI = "http://127.0.0.1:54321/callback";

	private final String base;

	public SignIn(String base) {
		this.base = base;
	}

	/** Tokens of the public client {@code bookmarks-mobile} for this login and password. */
	public Tokens tokens(String login, String password) {
		Browser browser = browser(login, password);
		Pkce pkce = Pkce.generate();
		HttpResponse<String> callback = browser.get(authorizeUrl(pkce));
		assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
		String code = Browser.queryOf(Browser.location(callback)).get("code");
		assertThat(code).as(Browser.location(callback)).isNotBlank();
		HttpResponse<String> token = postForm(Map.of("grant_type", "authorization_code", "code", code,
				"redirect_uri", REDIRECT_URI, "client_id", "bookmarks-mobile", "code_verifier", pkce.verifier()));
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		JsonNode response = AuthServiceTest.JSON.readTree(token.body());
		return new Tokens(response.get("access_token").asString(), response.get("refresh_token").asString());
	}

	/** A browser signed in on the login page; fails the test when the login does not succeed. */
	public Browser browser(String login, String password) {
		Browser browser = new Browser();
		HttpResponse<String> response = login(browser, login, password);
		assertThat(Browser.location(response)).as("login of " + login).doesNotContain("error");
		return browser;
	}

	/** Posts the login form; the answer redirects to {@code /login?error} for a wrong password. */
	public HttpResponse<String> login(Browser browser, String login, String password) {
		String page = browser.get(base + "/login").body();
		HttpResponse<String> response = browser.postForm(base + "/login",
				Map.of("username", login, "password", password, "_csrf", Browser.csrfToken(page)));
		assertThat(response.statusCode()).isEqualTo(302);
		return response;
	}

	/** Whether the browser's session is still signed in: authorizing then yields a code, not the login page. */
	public boolean isSignedIn(Browser browser) {
		HttpResponse<String> response = browser.get(authorizeUrl(Pkce.generate()));
		assertThat(response.statusCode()).isEqualTo(302);
		String location = Browser.location(response);
		if (location.startsWith(base + "/login")) {
			return false;
		}
		assertThat(Browser.queryOf(location)).containsKey("code");
		return true;
	}

	/** Uses a refresh token of the mobile client; 200 with new tokens, or 400 invalid_grant. */
	public HttpResponse<String> refresh(String refreshToken) {
		return postForm(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id",
				"bookmarks-mobile"));
	}

	/** The claims of a JWT, unverified (the service verifies; tests only read). */
	public static JsonNode claimsOf(String jwt) {
		String[] parts = jwt.split("\\.");
		assertThat(parts).hasSize(3);
		return AuthServiceTest.JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
	}

	private String authorizeUrl(Pkce pkce) {
		return base + "/oauth2/authorize?response_type=code&client_id=bookmarks-mobile&scope="
				+ URLEncoder.encode("openid profile email", StandardCharsets.UTF_8) + "&state=s&redirect_uri="
				+ URLEncoder.encode(REDIRECT_URI, StandardCharsets.UTF_8) + "&code_challenge=" + pkce.challenge()
				+ "&code_challenge_method=S256";
	}

	private HttpResponse<String> postForm(Map<String, String> form) {
		return AuthServiceTest.send(AuthServiceTest.plainClient(), HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Browser.encode(form)))
			.build());
	}

	public record Tokens(String accessToken, String refreshToken) {
	}

}
