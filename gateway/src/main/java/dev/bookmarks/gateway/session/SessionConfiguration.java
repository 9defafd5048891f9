package dev.bookmarks.gateway.session;

import java.time.Clock;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.RefreshTokenReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.ReactiveOAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.server.WebSessionServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoderFactory;
import org.springframework.session.config.ReactiveSessionRepositoryCustomizer;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * The browser session: tokens are kept in the web session, which Spring Session stores in Redis,
 * so any gateway instance serves any session (the default repository would keep tokens in one
 * instance's memory).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayClientProperties.class)
public class SessionConfiguration {

	@Bean
	ReactiveClientRegistrationRepository clientRegistrations(GatewayClientProperties properties) {
		return new BookmarksClientRegistrations(properties);
	}

	@Bean
	ServerOAuth2AuthorizedClientRepository authorizedClients() {
		return new WebSessionServerOAuth2AuthorizedClientRepository();
	}

	@Bean
	AuthServiceConnections authServiceConnections() {
		return new AuthServiceConnections();
	}

	/** The login's code exchange (picked up by oauth2Login), over the pool for auth-service. */
	@Bean
	ReactiveOAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> authorizationCodeTokenResponseClient(
			AuthServiceConnections authService) {
		WebClientReactiveAuthorizationCodeTokenResponseClient client = new WebClientReactiveAuthorizationCodeTokenResponseClient();
		client.setWebClient(authService.webClient());
		return client;
	}

	/** The ID token's decoder (picked up by oauth2Login), fetching the keys over the pool for auth-service. */
	@Bean
	ReactiveJwtDecoderFactory<ClientRegistration> idTokenDecoderFactory(AuthServiceConnections authService) {
		return authService.idTokenDecoders();
	}

	@Bean
	ReactiveOAuth2AuthorizedClientManager authorizedClientManager(ReactiveClientRegistrationRepository registrations,
			ServerOAuth2AuthorizedClientRepository authorizedClients, GatewayClientProperties properties,
			AuthServiceConnections authService) {
		WebClientReactiveRefreshTokenTokenResponseClient refreshTokens = new WebClientReactiveRefreshTokenTokenResponseClient();
		refreshTokens.setWebClient(authService.webClient());
		RefreshTokenReactiveOAuth2AuthorizedClientProvider refresh = new RefreshTokenReactiveOAuth2AuthorizedClientProvider();
		refresh.setAccessTokenResponseClient(refreshTokens);
		refresh.setClockSkew(properties.refreshBefore());
		DefaultReactiveOAuth2AuthorizedClientManager manager = new DefaultReactiveOAuth2AuthorizedClientManager(
				registrations, authorizedClients);
		manager.setAuthorizedClientProvider(ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
			.authorizationCode()
			.provider(new SingleFlightRefresh(refresh, Clock.systemUTC(), properties.refreshBefore()))
			.build());
		return manager;
	}

	@Bean
	ReactiveSessionRepositoryCustomizer<ReactiveRedisSessionRepository> partialSessions() {
		return new PartialSessions();
	}

	@Bean
	static BeanPostProcessor invalidatedSessionSaves(Environment environment) {
		return InvalidatedSessionSaves
			.wrapping(environment.getProperty("spring.session.data.redis.namespace", "spring:session"));
	}

	@Bean
	WebSessionIdResolver sessionCookie() {
		return new SessionCookie();
	}

}
