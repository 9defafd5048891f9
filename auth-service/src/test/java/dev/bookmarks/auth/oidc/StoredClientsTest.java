package dev.bookmarks.auth.oidc;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bookmarks.auth.AuthServiceApplication;
import dev.bookmarks.auth.AuthServiceTest;
import dev.bookmarks.auth.Browser;
import dev.bookmarks.auth.OidcClient;
import dev.bookmarks.auth.OidcClient.Pkce;
import dev.bookmarks.auth.OidcClient.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients live in PostgreSQL, written from the configuration at startup and shared by replicas. */
class StoredClientsTest extends AuthServiceTest {

	private static final String PASSWORD = "a long and unusual passphrase";

	@Autowired
	Environment environment;

	@Test
	void theConfiguredClientsAreStoredWithTheirLogoutUrisAndAHashedSecret() {
		Map<String, Object> mobile = jdbc.queryForMap("SELECT * FROM oauth2_registered_client WHERE client_id = ?",
				OidcClient.MOBILE);
		Map<String, Object> gateway = jdbc.queryForMap("SELECT * FROM oauth2_registered_client WHERE client_id = ?",
				OidcClient.GATEWAY);

		assertThat(mobile.get("id")).isEqualTo(OidcClient.MOBILE);
		assertThat(mobile.get("client_secret")).isNull();
		assertThat((String) mobile.get("redirect_uris")).contains("bookmarks://callback", "http://127.0.0.1/callback");
		assertThat((String) mobile.get("post_logout_redirect_uris")).contains("bookmarks://logout",
				"http://127.0.0.1/logout");
		assertThat((String) mobile.get("client_settings")).contains("require-proof-key\":true")
			.contains("require-authorization-consent\":false");
		assertThat((String) gateway.get("client_secret")).startsWith("{argon2}").doesNotContain(GATEWAY_SECRET);
		assertThat((String) gateway.get("post_logout_redirect_uris")).isEqualTo(PUBLIC_ORIGIN + "/");
	}

	/** A client the configuration does not know, added to the table, works at once: nothing is cached. */
	@Test
	void clientsAreReadFromTheDatabase() {
		String clientId = unique("tool");
		new JdbcRegisteredClientRepository(jdbc).save(RegisteredClient.withId(clientId)
			.clientId(clientId)
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("http://127.0.0.1/tool")
			.scope(OidcScopes.OPENID)
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
			.build());
		Browser browser = new Browser();
		signIn(browser, newAccount());

		HttpResponse<String> authorize = browser.get(base() + "/oauth2/authorize?response_type=code&client_id="
				+ clientId + "&scope=openid&state=t&redirect_uri=" + OidcClient.encode("http://127.0.0.1:5000/tool")
				+ "&code_challenge=" + Pkce.generate().challenge() + "&code_challenge_method=S256");

		assertThat(Browser.location(authorize)).startsWith("http://127.0.0.1:5000/tool?code=");
	}

	/**
	 * A second instance on the same database (a replica, or this one after a restart) starts over
	 * the stored clients and honours what the first one issued.
	 */
	@Test
	void aSecondInstanceOnTheSameDatabaseServesTheSameClients() {
		OidcClient first = new OidcClient(base());
		Tokens tokens = first.signInWithPassword(new Browser(), newAccount(), PASSWORD);

		try (ConfigurableApplicationContext replica = startReplica()) {
			int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
			OidcClient second = new OidcClient("http://localhost:" + port + "/auth");

			HttpResponse<String> refreshed = second.refresh(tokens.refreshToken());
			HttpResponse<String> gatewayRefresh = second.postForm("http://localhost:" + port + "/auth/oauth2/token",
					Map.of("grant_type", "refresh_token", "refresh_token", "unknown"),
					OidcClient.basic(OidcClient.GATEWAY, GATEWAY_SECRET));

			assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
			// The gateway authenticates at the replica (its secret is found); the token is just unknown.
			assertThat(gatewayRefresh.statusCode()).isEqualTo(400);
			assertThat(json(gatewayRefresh).get("error").asString()).isEqualTo("invalid_grant");
			Tokens signedInAtReplica = second.signInWithPassword(new Browser(), newAccount(), PASSWORD);
			assertThat(first.refresh(signedInAtReplica.refreshToken()).statusCode()).isEqualTo(200);
		}
		assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client WHERE id IN (?, ?)",
				Integer.class, OidcClient.MOBILE, OidcClient.GATEWAY)).isEqualTo(2);
	}

	private ConfigurableApplicationContext startReplica() {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0"));
		for (String name : List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
				"spring.kafka.bootstrap-servers", "bookmarks.auth.public-origin", "bookmarks.auth.data-dir",
				"bookmarks.auth.gateway-client-secret", "bookmarks.auth.previous-keys-location")) {
			arguments.add("--" + name + "=" + environment.getProperty(name, ""));
		}
		return new SpringApplicationBuilder(AuthServiceApplication.class).run(arguments.toArray(String[]::new));
	}

	private void signIn(Browser browser, String login) {
		String page = browser.get(base() + "/login").body();
		HttpResponse<String> response = browser.postForm(base() + "/login",
				Map.of("username", login, "password", PASSWORD, "_csrf", Browser.csrfToken(page)));
		assertThat(Browser.location(response)).doesNotContain("error");
	}

	private String newAccount() {
		String username = unique("client");
		HttpResponse<String> response = postJson("/api/accounts",
				Map.of("username", username, "email", username + "@example.com", "password", PASSWORD));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return username;
	}

}
