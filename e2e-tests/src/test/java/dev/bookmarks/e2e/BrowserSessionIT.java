package dev.bookmarks.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app's login through the gateway (backend-for-frontend) on the whole local stack: the
 * browser logs in with auth-service's form, the gateway holds the tokens in its Redis session and
 * relays the access token, a second gateway instance serves the same session, unsafe calls need
 * the CSRF token, and logging out ends the session at the gateway and at auth-service.
 */
class BrowserSessionIT {

	private static LocalStack stack;

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void startTheStack() throws Exception {
		stack = LocalStack.start();
	}

	@AfterAll
	static void stopTheStack() throws Exception {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void aPageSendsThePersonToLogInAndBackToItWithTheSessionRelayingTheirToken() throws Exception {
		String username = register();
		BrowserClient browser = new BrowserClient(stack.origin());
		String page = "/images/new?url=" + URLEncoder.encode("https://pictures.example/a b.jpg?x=1&y=2", UTF_8)
				+ "&title=" + URLEncoder.encode("Sunset & sea", UTF_8);

		HttpResponse<String> toLogin = browser.get(page);
		assertThat(toLogin.statusCode()).isEqualTo(302);
		assertThat(toLogin.headers().firstValue("Location")).hasValue("/oauth2/authorization/bookmarks");
		assertThat(toLogin.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
			.startsWith("BOOKMARKS_SESSION=")
			.containsIgnoringCase("HttpOnly")
			.contains("SameSite=Lax"));

		String anonymousSession = browser.cookie("BOOKMARKS_SESSION");

		HttpResponse<String> back = browser.logIn(toLogin, username, PASSWORD);
		assertThat(back.headers().firstValue("Location")).hasValue(page);
		// A new session id once logged in: one planted in the browser before is worth nothing.
		assertThat(browser.cookie("BOOKMARKS_SESSION")).isNotNull().isNotEqualTo(anonymousSession);
		// The browser holds no token, only cookies; none of them is a JWT.
		browser.seen.forEach(response -> assertThat(response.body()).doesNotContain("access_token"));

		HttpResponse<String> me = browser.send("GET", "/api/accounts/me", null, Map.of());
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat(json.readTree(me.body()).get("username").asString()).isEqualTo(username);
	}

	/**
	 * Also the refresh: the other instance refreshes the access token on every call (it refreshes
	 * when the token expires within 15 minutes, which is always), and auth-service rotates the refresh
	 * token each time and revokes the sign-in if a used one comes back. So calls keep working only if
	 * each new refresh token is saved to the shared session, where the first instance finds it too.
	 */
	@Test
	void anotherGatewayInstanceServesTheSameSessionAndRefreshesItsTokens() throws Exception {
		String username = register();
		BrowserClient browser = new BrowserClient(stack.origin());
		browser.logIn(browser.get("/account"), username, PASSWORD);
		String session = browser.cookie("BOOKMARKS_SESSION");
		assertThat(session).isNotNull();

		try (LocalStack.ExtraGateway other = stack.startAnotherGateway(Map.of("BOOKMARKS_GATEWAY_REFRESHBEFORE", "15m"))) {
			for (String origin : List.of(other.origin(), other.origin(), other.origin(), stack.origin())) {
				HttpResponse<String> me = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create(origin + "/api/accounts/me"))
						.header("Cookie", "BOOKMARKS_SESSION=" + session)
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(me.statusCode()).as(origin + ": " + me.body()).isEqualTo(200);
				assertThat(json.readTree(me.body()).get("username").asString()).isEqualTo(username);
			}
			assertThat(Files.readString(stack.logFile("gateway-extra"))).containsPattern("Access token of \\S+ refreshed");
		}
	}

	@Test
	void unsafeCallsOfTheBrowserNeedTheCsrfTokenAndBearerCallsDoNot() throws Exception {
		String username = register();
		BrowserClient browser = new BrowserClient(stack.origin());
		browser.logIn(browser.get("/account"), username, PASSWORD);
		String change = "{\"firstName\": \"Grace\"}";

		HttpResponse<String> withoutToken = browser.send("PATCH", "/api/accounts/me", change, Map.of());
		assertThat(withoutToken.statusCode()).isEqualTo(403);
		assertThat(withoutToken.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(withoutToken.body()).contains("X-XSRF-TOKEN");

		String csrf = browser.cookie("XSRF-TOKEN");
		assertThat(csrf).isNotNull();
		HttpResponse<String> withToken = browser.send("PATCH", "/api/accounts/me", change, Map.of("X-XSRF-TOKEN", csrf));
		assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
		assertThat(json.readTree(withToken.body()).get("firstName").asString()).isEqualTo("Grace");

		String accessToken = new MobileClient(stack.origin()).logIn(username, PASSWORD).get("access_token").asString();
		HttpResponse<String> bearer = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(stack.origin() + "/api/accounts/me"))
				.header("Authorization", "Bearer " + accessToken)
				.header("Content-Type", "application/json")
				.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"lastName\": \"Hopper\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(200);
	}

	@Test
	void apiCallsWithoutCredentialsAnswer401JsonNotARedirect() throws Exception {
		BrowserClient browser = new BrowserClient(stack.origin());
		for (String path : List.of("/api/accounts/me", "/api/images", "/api/feed")) {
			HttpResponse<String> response = browser.send("GET", path, null, Map.of("Accept", "text/html"));
			assertThat(response.statusCode()).as(path).isEqualTo(401);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					type -> assertThat(type).startsWith("application/problem+json"));
		}
	}

	@Test
	void loggingOutEndsTheSessionAtTheGatewayAndAtAuthService() throws Exception {
		String username = register();
		BrowserClient browser = new BrowserClient(stack.origin());
		browser.logIn(browser.get("/account"), username, PASSWORD);
		assertThat(browser.send("GET", "/api/accounts/me", null, Map.of()).statusCode()).isEqualTo(200);
		String session = browser.cookie("BOOKMARKS_SESSION");

		HttpResponse<String> loggedOut = browser.postForm("/logout", Map.of("_csrf", browser.cookie("XSRF-TOKEN")));
		assertThat(loggedOut.statusCode()).as(loggedOut.body()).isEqualTo(302);
		URI endSession = browser.location(loggedOut);
		assertThat(endSession.toString()).startsWith(stack.origin() + "/auth/connect/logout?");
		assertThat(endSession.getQuery()).contains("id_token_hint=")
			.contains("post_logout_redirect_uri=" + stack.origin() + "/");
		HttpResponse<String> home = browser.get(endSession.toString());
		assertThat(home.statusCode()).as(home.body()).isEqualTo(302);
		assertThat(browser.location(home).toString()).startsWith(stack.origin() + "/");

		// The old session cookie is worth nothing now ...
		HttpResponse<String> me = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(stack.origin() + "/api/accounts/me"))
				.header("Cookie", "BOOKMARKS_SESSION=" + session)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(me.statusCode()).isEqualTo(401);
		// ... and auth-service asks for the password again instead of signing the browser straight in.
		HttpResponse<String> again = browser.get("/account");
		assertThat(again.statusCode()).isEqualTo(302);
		HttpResponse<String> current = again;
		for (int hops = 0; hops < 6 && current.statusCode() == 302; hops++) {
			URI next = browser.location(current);
			assertThat(next.getPath()).as("signed in again without a password").isNotEqualTo("/login/oauth2/code/bookmarks");
			current = browser.get(next.toString());
		}
		assertThat(current.uri().getPath()).isEqualTo("/auth/login");
		assertThat(current.body()).contains("name=\"password\"");
	}

	@Test
	void pagesCarryTheSecurityHeaders() throws Exception {
		HttpResponse<String> login = new BrowserClient(stack.origin()).get("/auth/login");
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
				csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
		assertThat(login.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(login.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
	}

	private static final String PASSWORD = "quiet harbour lantern " + UUID.randomUUID();

	/**
	 * From an address of its own (198.18.0.0/15, for tests, through loopback, a proxy the gateway
	 * trusts): registrations are limited per client address, and the stack's database outlives a run.
	 */
	private String register() throws Exception {
		String username = "web" + UUID.randomUUID().toString().substring(0, 8);
		java.util.Random random = new java.util.Random();
		HttpResponse<String> created = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(stack.origin() + "/api/accounts"))
				.header("Content-Type", "application/json")
				.header("X-Forwarded-For", "198.18." + random.nextInt(256) + "." + random.nextInt(256))
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"username": "%s", "email": "%s@example.com", "password": "%s"}""".formatted(username,
						username, PASSWORD)))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return username;
	}

}
