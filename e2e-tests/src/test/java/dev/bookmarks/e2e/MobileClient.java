package dev.bookmarks.e2e;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a mobile app does, over plain HTTP through the gateway: the public client
 * {@code bookmarks-mobile} logs a person in with the authorization code flow and PKCE (S256), then
 * calls the API with the access token.
 */
final class MobileClient {

	static final String CLIENT_ID = "bookmarks-mobile";

	static final String REDIRECT_URI = "http://127.0.0.1/callback";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

	private final String origin;

	private final HttpClient http;

	private final JsonMapper json = JsonMapper.builder().build();

	MobileClient(String origin) {
		this.origin = origin;
		this.http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	HttpResponse<String> postJson(String path, String body, String accessToken) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (accessToken != null) {
			request.header("Authorization", "Bearer " + accessToken);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> get(String path, String accessToken) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(30)).GET();
		if (accessToken != null) {
			request.header("Authorization", "Bearer " + accessToken);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> put(String path, String accessToken) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(origin + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + accessToken)
			.PUT(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	/** Logs in with the login form and returns the token response. */
	JsonNode logIn(String username, String password) throws IOException, InterruptedException {
		String verifier = randomUrlSafe(48);
		String state = randomUrlSafe(16);
		String authorize = origin + "/auth/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id",
				CLIENT_ID, "redirect_uri", REDIRECT_URI, "scope", "openid profile email", "state", state,
				"code_challenge", challenge(verifier), "code_challenge_method", "S256"));

		HttpResponse<String> toLogin = send(HttpRequest.newBuilder(URI.create(authorize)).GET());
		String loginPage = follow(toLogin);
		Matcher csrf = CSRF.matcher(loginPage);
		if (!csrf.find()) {
			throw new IllegalStateException("No CSRF token on the login page:\n" + loginPage);
		}
		String token = csrf.group(1) != null ? csrf.group(1) : csrf.group(2);
		HttpResponse<String> loggedIn = send(HttpRequest.newBuilder(URI.create(origin + "/auth/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString(form(Map.of("username", username, "password", password, "_csrf", token)))));
		URI callback = redirectsUntilCallback(loggedIn);
		Map<String, String> query = parse(callback.getRawQuery());
		if (!state.equals(query.get("state")) || query.get("code") == null) {
			throw new IllegalStateException("Unexpected callback " + callback);
		}
		HttpResponse<String> tokens = send(HttpRequest.newBuilder(URI.create(origin + "/auth/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code",
					query.get("code"), "redirect_uri", REDIRECT_URI, "client_id", CLIENT_ID, "code_verifier",
					verifier)))));
		if (tokens.statusCode() != 200) {
			throw new IllegalStateException("Token request answered " + tokens.statusCode() + ": " + tokens.body());
		}
		return json.readTree(tokens.body());
	}

	/** Follows redirects within the origin and returns the final page. */
	private String follow(HttpResponse<String> response) throws IOException, InterruptedException {
		HttpResponse<String> current = response;
		for (int hops = 0; hops < 5 && current.statusCode() / 100 == 3; hops++) {
			current = send(HttpRequest.newBuilder(location(current)).GET());
		}
		if (current.statusCode() != 200) {
			throw new IllegalStateException("Expected a page, got " + current.statusCode() + ": " + current.body());
		}
		return current.body();
	}

	private URI redirectsUntilCallback(HttpResponse<String> response) throws IOException, InterruptedException {
		HttpResponse<String> current = response;
		for (int hops = 0; hops < 5; hops++) {
			if (current.statusCode() / 100 != 3) {
				throw new IllegalStateException("Login did not redirect: " + current.statusCode() + " " + current.body());
			}
			URI next = location(current);
			if (next.toString().startsWith(REDIRECT_URI)) {
				return next;
			}
			current = send(HttpRequest.newBuilder(next).GET());
		}
		throw new IllegalStateException("Too many redirects before the callback");
	}

	private URI location(HttpResponse<String> response) {
		String location = response.headers().firstValue("Location").orElseThrow();
		return response.uri().resolve(location);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String form(Map<String, String> values) {
		return new LinkedHashMap<>(values).entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static Map<String, String> parse(String query) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String pair : query.split("&")) {
			String[] parts = pair.split("=", 2);
			values.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
		}
		return values;
	}

	private static String randomUrlSafe(int bytes) {
		byte[] random = new byte[bytes];
		new SecureRandom().nextBytes(random);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

	private static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
