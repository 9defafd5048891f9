package dev.bookmarks.auth.oidc;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.util.StringUtils;

/**
 * The two clients, defined in code and configuration. Their ids are fixed because stored
 * authorizations refer to them across restarts. {@link StoredClients} writes them to the database
 * at startup, from where every replica reads them.
 */
final class RegisteredClients {

	static final String MOBILE = "bookmarks-mobile";

	static final String GATEWAY = "bookmarks-gateway";

	static final String GENERATED_GATEWAY_SECRET_PATH = "secrets/gateway-client-secret";

	private static final Logger log = LoggerFactory.getLogger(RegisteredClients.class);

	private final AuthProperties properties;

	private final PasswordEncoder passwordEncoder;

	RegisteredClients(AuthProperties properties, PasswordEncoder passwordEncoder) {
		this.properties = properties;
		this.passwordEncoder = passwordEncoder;
	}

	List<RegisteredClient> configured() {
		return List.of(mobile(), gateway());
	}

	/**
	 * Mobile apps and scripts: a public client with PKCE (S256 is the only method the server
	 * accepts). Any port of the loopback redirect is accepted, as RFC 8252 asks; the server
	 * compares loopback redirect URIs without the port. After RP-initiated logout the browser returns
	 * to the app's logout URI; the loopback one with any port too ({@link RpInitiatedLogout}).
	 */
	private RegisteredClient mobile() {
		return RegisteredClient.withId(MOBILE)
			.clientId(MOBILE)
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
			.redirectUri("bookmarks://callback")
			.redirectUri("http://127.0.0.1/callback")
			.postLogoutRedirectUri("bookmarks://logout")
			.postLogoutRedirectUri("http://127.0.0.1/logout")
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.scope(OidcScopes.EMAIL)
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
			.tokenSettings(tokenSettings())
			.build();
	}

	/**
	 * The gateway, the web app's backend-for-frontend: a confidential client. PKCE is required of
	 * it too (OAuth 2.1); Spring Security 7's client sends it by default.
	 */
	private RegisteredClient gateway() {
		String origin = properties.publicOrigin();
		return RegisteredClient.withId(GATEWAY)
			.clientId(GATEWAY)
			.clientSecret(passwordEncoder.encode(gatewaySecret()))
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
			.redirectUri(origin + "/login/oauth2/code/bookmarks")
			.postLogoutRedirectUri(origin + "/")
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.scope(OidcScopes.EMAIL)
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
			.tokenSettings(tokenSettings())
			.build();
	}

	private TokenSettings tokenSettings() {
		return TokenSettings.builder()
			.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
			.accessTokenTimeToLive(properties.accessTokenTimeToLive())
			.refreshTokenTimeToLive(properties.refreshTokenTimeToLive())
			.reuseRefreshTokens(false)
			.build();
	}

	/**
	 * The configured secret; without one, a random secret generated once into the data directory
	 * for local development, where the local stack hands it to the gateway.
	 */
	private String gatewaySecret() {
		if (StringUtils.hasText(properties.gatewayClientSecret())) {
			return properties.gatewayClientSecret();
		}
		LocalKeyMaterial material = new LocalKeyMaterial(properties.dataDir());
		String secret = material.readOrCreate(GENERATED_GATEWAY_SECRET_PATH, RegisteredClients::randomSecret).strip();
		log.warn("No gateway client secret configured (BOOKMARKS_GATEWAY_CLIENT_SECRET); using the local-development "
				+ "secret in {}", material.resolve(GENERATED_GATEWAY_SECRET_PATH));
		return secret;
	}

	private static String randomSecret() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
