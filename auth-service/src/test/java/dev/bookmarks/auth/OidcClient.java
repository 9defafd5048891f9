package dev.bookmarks.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mobile app (public client, PKCE) and the gateway (confidential client) as the tests drive
 * them over plain HTTP, with a {@link Browser} for the pages.
 */
public final class OidcClient {

	public static final String MOBILE = "bookmarks-mobile";

	public static final String GATEWAY = "bookmarks-gateway";

	/** Any port: the app listens on an ephemeral loopback port (RFC 8252). */
	public static final String MOBILE_REDIRECT_URI = "http://127.0.0.1:54321/callback";

	public static final String GATEWAY_REDIRECT_URI = AuthServiceTest.PUBLIC_ORIGIN + "/login/oauth2/code/bookmarks";

	private final String base;

	/** @param base {@code http://localhost:<port>/auth} */
	public OidcClient(String base) {
		this.base = base;
	}

	public String authorizeUrl(String clientId, String redirectUri, Pkce pkce, String state) {
		return base + "/oauth2/authorize?response_type=code&client_id=" + clientId + "&scope="
				+ encode("openid profile email") + "&state=" + state + "&redirect_uri=" + encode(redirectUri)
				+ "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256";
	}

	/** Signs in on the login form, then follows the saved authorization request to the code. */
	public Tokens signInWithPassword(Browser browser, String login, String password) {
		Pkce pkce = Pkce.generate();
		String authorize = authorizeUrl(MOBILE, MOBILE_REDIRECT_URI, pkce, "xyz");
		String loginPage = Browser.location(browser.get(authorize));
		assertThat(loginPage).isEqualTo(base + "/login");
		String csrf = Browser.csrfToken(browser.get(loginPage).body());
		HttpResponse<String> signedIn = browser.postForm(loginPage,
				Map.of("username", login, "password", password, "_csrf", csrf));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		String continueAuthorize = Browser.location(signedIn);
		assertThat(continueAuthorize).startsWith(base + "/oauth2/authorize");
		return exchange(codeFrom(browser.get(continueAuthorize), "xyz"), pkce);
	}

	/** The authorization code of a redirect to the client, after checking its state. */
	public static String codeFrom(HttpResponse<String> authorizeResponse, String state) {
		assertThat(authorizeResponse.statusCode()).as(authorizeResponse.body()).isEqualTo(302);
		Map<String, String> callback = Browser.queryOf(Browser.location(authorizeResponse));
		assertThat(callback.get("state")).isEqualTo(state);
		assertThat(callback.get("code")).as(Browser.location(authorizeResponse)).isNotBlank();
		return callback.get("code");
	}

	/** The mobile app's token request for a code. */
	public Tokens exchange(String code, Pkce pkce) {
		HttpResponse<String> token = postForm(base + "/oauth2/token",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", MOBILE_REDIRECT_URI,
						"client_id", MOBILE, "code_verifier", pkce.verifier()));
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		return Tokens.of(AuthServiceTest.JSON.readTree(token.body()));
	}

	/** The mobile app's refresh request. */
	public HttpResponse<String> refresh(String refreshToken) {
		return postForm(base + "/oauth2/token",
				Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", MOBILE));
	}

	public HttpResponse<String> postForm(String url, Map<String, String> form, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Browser.encode(form)));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return AuthServiceTest.send(AuthServiceTest.plainClient(), request.build());
	}

	public static String[] basic(String user, String password) {
		String credentials = Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return new String[] { "Authorization", "Basic " + credentials };
	}

	public static JsonNode payloadOf(String jwt) {
		return part(jwt, 1);
	}

	public static JsonNode headerOf(String jwt) {
		return part(jwt, 0);
	}

	private static JsonNode part(String jwt, int index) {
		String[] parts = jwt.split("\\.");
		assertThat(parts).hasSize(3);
		return AuthServiceTest.JSON
			.readTree(new String(Base64.getUrlDecoder().decode(parts[index]), StandardCharsets.UTF_8));
	}

	public static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	public record Tokens(String accessToken, String refreshToken, String idToken, JsonNode response) {

		static Tokens of(JsonNode response) {
			return new Tokens(response.get("access_token").asString(), text(response, "refresh_token"),
					text(response, "id_token"), response);
		}

		private static String text(JsonNode response, String field) {
			return response.has(field) ? response.get(field).asString() : null;
		}

	}

	public record Pkce(String verifier, String challenge) {

		public static Pkce generate() {
			byte[] random = new byte[48];
			new SecureRandom().nextBytes(random);
			String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256")
					.digest(verifier.getBytes(StandardCharsets.US_ASCII));
				return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
