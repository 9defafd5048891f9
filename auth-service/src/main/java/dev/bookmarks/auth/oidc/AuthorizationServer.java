package dev.bookmarks.auth.oidc;

import java.time.Clock;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.bookmarks.auth.account.AccountRepository;
import dev.bookmarks.platform.security.BookmarksJwt;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Authorization Server: authorization, token, JWKS, discovery, user info and logout
 * endpoints, with clients, authorizations and consents kept in PostgreSQL. Refresh tokens rotate
 * and a reused one revokes its authorization; logout can end the authorization too.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServer {

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http, RegisteredClientRepository clients,
			AuthorizationServerSettings settings, OAuth2AuthorizationService authorizations, JdbcClient jdbc,
			TransactionTemplate transactions) {
		UsedRefreshTokens usedRefreshTokens = new UsedRefreshTokens(jdbc);
		http.oauth2AuthorizationServer(server -> {
			http.securityMatcher(server.getEndpointsMatcher());
			server.oidc(oidc -> oidc.logoutEndpoint(logout -> logout
				.authenticationProviders(providers -> providers.forEach(provider -> {
					if (provider instanceof OidcLogoutAuthenticationProvider oidcLogout) {
						oidcLogout.setAuthenticationValidator(RpInitiatedLogout::validatePostLogoutRedirectUri);
					}
				}))
				.logoutResponseHandler(new RpInitiatedLogout.ResponseHandler(authorizations))))
				.clientAuthentication(clientAuthentication -> clientAuthentication
					.authenticationConverter(new PublicClientRefreshAuthentication.Converter(settings.getTokenEndpoint()))
					.authenticationProvider(new PublicClientRefreshAuthentication.Provider(clients)))
				.tokenEndpoint(token -> token.authenticationProviders(providers -> providers.replaceAll(
						provider -> provider instanceof OAuth2RefreshTokenAuthenticationProvider refresh
								? new RefreshTokenReuseDetection(refresh, authorizations, usedRefreshTokens, transactions)
								: provider)));
		});
		http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
			// The user info endpoint takes the access token.
			.oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
			// A browser that is not signed in yet goes to the login page.
			.exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
					new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
		return http.build();
	}

	/** The issuer is fixed rather than taken from each request's host: {origin}/auth. */
	@Bean
	AuthorizationServerSettings authorizationServerSettings(AuthProperties properties) {
		return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
	}

	/** In PostgreSQL, shared by the replicas; the configured clients are written at startup. */
	@Bean
	RegisteredClientRepository registeredClientRepository(AuthProperties properties, PasswordEncoder passwordEncoder,
			JdbcOperations jdbc, TransactionTemplate transactions) {
		return StoredClients.synchronize(jdbc, transactions,
				new RegisteredClients(properties, passwordEncoder).configured());
	}

	@Bean
	OAuth2AuthorizationService authorizationService(JdbcOperations jdbc, RegisteredClientRepository clients) {
		return new JdbcOAuth2AuthorizationService(jdbc, clients);
	}

	@Bean
	OAuth2AuthorizationConsentService authorizationConsentService(JdbcOperations jdbc,
			RegisteredClientRepository clients) {
		return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
	}

	@Bean
	TokenKeys tokenKeys(AuthProperties properties) {
		return TokenKeys.load(properties);
	}

	/** The JWKS: the signing key and the previous keys that are still trusted. */
	@Bean
	JWKSource<SecurityContext> jwkSource(TokenKeys keys) {
		return keys.verification();
	}

	/**
	 * OpenID Connect session tracking for logout: the sessions that signed in through the
	 * authorization endpoint are registered, and this removes them again when they end.
	 */
	@Bean
	HttpSessionEventPublisher httpSessionEventPublisher() {
		return new HttpSessionEventPublisher();
	}

	/** JWT access and ID tokens signed with the current key, and refresh tokens for public clients too. */
	@Bean
	OAuth2TokenGenerator<OAuth2Token> tokenGenerator(TokenKeys keys, AccountRepository accounts,
			AuthProperties properties) {
		JwtGenerator jwt = new JwtGenerator(new NimbusJwtEncoder(keys.signing()));
		jwt.setJwtCustomizer(new TokenClaims(accounts, properties.audience()));
		return new DelegatingOAuth2TokenGenerator(jwt, new OAuth2AccessTokenGenerator(),
				new RotatingRefreshTokenGenerator(Clock.systemUTC()));
	}

	/**
	 * Validates bearer tokens against our own keys, locally: signature, expiry, issuer and the
	 * API audience (which also keeps ID tokens out).
	 */
	@Bean
	JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource, AuthProperties properties) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(jwkSource).build();
		decoder.setJwtValidator(BookmarksJwt.validator(properties.issuer(), properties.audience()));
		return decoder;
	}

}
