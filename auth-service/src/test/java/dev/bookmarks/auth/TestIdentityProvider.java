package dev.bookmarks.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real OpenID Connect provider over HTTP (NAV's mock-oauth2-server), started once per test JVM,
 * configured as two social logins the way an operator would: {@code mock}, an OIDC provider found
 * by its issuer's discovery document, and {@code octo}, a plain OAuth2 provider shaped like GitHub
 * (user info with {@code id}, {@code login}, {@code name}).
 * <p>
 * The mock answers authorization requests only when they ask for {@code openid}, and GitHub's never
 * do: a small front door on loopback takes the GitHub-style request and passes it on with that
 * scope added. Everything else (token, user info) is the mock's.
 */
public final class TestIdentityProvider {

	public static final String OIDC_REGISTRATION = "mock";

	public static final String OIDC_NAME = "Mock ID";

	public static final String GITHUB_LIKE_REGISTRATION = "octo";

	public static final String GITHUB_LIKE_NAME = "Octo Hub";

	private static final String OIDC_ISSUER_ID = "mock-idp";

	private static final String GITHUB_LIKE_ISSUER_ID = "octo-idp";

	private static final String CLIENT_ID = "bookmarks-auth";

	// One server each, as each keeps one queue of who signs in next.
	private static final MockOAuth2Server SERVER = start();

	private static final MockOAuth2Server GITHUB_LIKE_SERVER = start();

	private static final HttpServer GITHUB_LIKE_FRONT_DOOR = startFrontDoor();

	private TestIdentityProvider() {
	}

	private static MockOAuth2Server start() {
		MockOAuth2Server server = new MockOAuth2Server();
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "mock-oauth2-server-shutdown"));
		return server;
	}

	private static HttpServer startFrontDoor() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/authorize", exchange -> {
				String query = exchange.getRequestURI().getRawQuery();
				exchange.getResponseHeaders()
					.add("Location", GITHUB_LIKE_SERVER.authorizationEndpointUrl(GITHUB_LIKE_ISSUER_ID) + "?"
							+ query.replaceAll("(^|&)scope=[^&]*", "$1scope=openid"));
				exchange.sendResponseHeaders(302, -1);
				exchange.close();
			});
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), "github-like-front-door-shutdown"));
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void register(DynamicPropertyRegistry registry) {
		String oidc = "spring.security.oauth2.client.registration." + OIDC_REGISTRATION + ".";
		registry.add(oidc + "client-id", () -> CLIENT_ID);
		registry.add(oidc + "client-secret", () -> "mock-secret");
		registry.add(oidc + "client-name", () -> OIDC_NAME);
		registry.add(oidc + "scope", () -> "openid,profile,email");
		registry.add("spring.security.oauth2.client.provider." + OIDC_REGISTRATION + ".issuer-uri",
				() -> SERVER.issuerUrl(OIDC_ISSUER_ID).toString());

		String github = "spring.security.oauth2.client.registration." + GITHUB_LIKE_REGISTRATION + ".";
		registry.add(github + "client-id", () -> CLIENT_ID);
		registry.add(github + "client-secret", () -> "octo-secret");
		registry.add(github + "client-name", () -> GITHUB_LIKE_NAME);
		registry.add(github + "scope", () -> "read:user");
		registry.add(github + "authorization-grant-type", () -> "authorization_code");
		registry.add(github + "redirect-uri", () -> "{baseUrl}/{action}/oauth2/code/{registrationId}");
		String provider = "spring.security.oauth2.client.provider." + GITHUB_LIKE_REGISTRATION + ".";
		registry.add(provider + "authorization-uri", () -> "http://"
				+ InetAddress.getLoopbackAddress().getHostAddress() + ":" + GITHUB_LIKE_FRONT_DOOR.getAddress().getPort()
				+ "/authorize");
		registry.add(provider + "token-uri",
				() -> GITHUB_LIKE_SERVER.tokenEndpointUrl(GITHUB_LIKE_ISSUER_ID).toString());
		registry.add(provider + "user-info-uri",
				() -> GITHUB_LIKE_SERVER.userInfoUrl(GITHUB_LIKE_ISSUER_ID).toString());
		registry.add(provider + "user-name-attribute", () -> "id");
	}

	/** Who the OIDC provider says signs in next, with these claims in the ID token and user info. */
	public static void nextOidcSignIn(String subject, Map<String, Object> claims) {
		SERVER.enqueueCallback(new DefaultOAuth2TokenCallback(OIDC_ISSUER_ID, subject, "JWT", List.of(CLIENT_ID),
				claims, 3600));
	}

	/** Who the GitHub-like provider says signs in next; the user info is these attributes. */
	public static void nextGithubLikeSignIn(Map<String, Object> userInfo) {
		GITHUB_LIKE_SERVER.enqueueCallback(new DefaultOAuth2TokenCallback(GITHUB_LIKE_ISSUER_ID,
				String.valueOf(userInfo.get("id")), "JWT", List.of(CLIENT_ID), userInfo, 3600));
	}

}
