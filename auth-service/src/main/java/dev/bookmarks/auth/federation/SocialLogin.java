package dev.bookmarks.auth.federation;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.bookmarks.auth.oidc.AuthProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2LoginAuthenticationFilter;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.web.context.NullSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Social login: sign in with any OpenID Connect provider or with GitHub (plain OAuth2), configured
 * only by Spring Boot's {@code spring.security.oauth2.client.registration.*} properties. Without
 * registrations (the default) nothing changes: no login buttons, no endpoints.
 * <p>
 * The redirect URI to register at a provider is {@code {origin}/auth/login/oauth2/code/{registrationId}}.
 */
@Component
public class SocialLogin {

	private static final Logger log = LoggerFactory.getLogger(SocialLogin.class);

	/** The login page asks for this when a social login failed. */
	static final String FAILURE_URL = "/login?social-error";

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	private final ObjectProvider<ClientRegistrationRepository> registrations;

	private final FederatedAccounts accounts;

	private final AuthProperties properties;

	SocialLogin(ObjectProvider<ClientRegistrationRepository> registrations, FederatedAccounts accounts,
			AuthProperties properties) {
		this.registrations = registrations;
		this.accounts = accounts;
		this.properties = properties;
	}

	/** A button on the login page. */
	public record Provider(String registrationId, String name, String path) {
	}

	/** The configured providers, by name. */
	public List<Provider> providers() {
		List<Provider> providers = new ArrayList<>();
		if (registrations.getIfAvailable() instanceof Iterable<?> all) {
			for (Object each : all) {
				if (each instanceof ClientRegistration registration && AuthorizationGrantType.AUTHORIZATION_CODE
					.equals(registration.getAuthorizationGrantType())) {
					providers.add(new Provider(registration.getRegistrationId(), registration.getClientName(),
							"/oauth2/authorization/" + registration.getRegistrationId()));
				}
			}
		}
		providers.sort(Comparator.comparing(Provider::name, String.CASE_INSENSITIVE_ORDER));
		return providers;
	}

	/** Adds the social login to the browser's filter chain, when providers are configured. */
	public void applyTo(HttpSecurity http) {
		ClientRegistrationRepository repository = registrations.getIfAvailable();
		if (repository == null) {
			return;
		}
		log.info("Social login with {}", providers().stream().map(Provider::registrationId).toList());
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build());
		requestFactory.setReadTimeout(READ_TIMEOUT);
		http.oauth2Login(login -> login.loginPage("/login")
			.clientRegistrationRepository(repository)
			// The provider's tokens are needed for nothing after the sign-in; they stay in the session
			// rather than in an ever-growing in-memory map.
			.authorizedClientRepository(new HttpSessionOAuth2AuthorizedClientRepository())
			.tokenEndpoint(token -> token.accessTokenResponseClient(tokenResponseClient(requestFactory)))
			.userInfoEndpoint(userInfo -> userInfo.userService(userService(requestFactory))
				.oidcUserService(oidcUserService(requestFactory)))
			.successHandler(new FederatedSignIn(accounts, properties.publicOrigin() + "/", FAILURE_URL))
			.failureUrl(FAILURE_URL)
			// FederatedSignIn stores the local account's sign-in instead of the provider's.
			.withObjectPostProcessor(new ObjectPostProcessor<OAuth2LoginAuthenticationFilter>() {
				@Override
				public <O extends OAuth2LoginAuthenticationFilter> O postProcess(O filter) {
					filter.setSecurityContextRepository(new NullSecurityContextRepository());
					return filter;
				}
			}));
	}

	private static RestClientAuthorizationCodeTokenResponseClient tokenResponseClient(
			JdkClientHttpRequestFactory requestFactory) {
		RestClientAuthorizationCodeTokenResponseClient client = new RestClientAuthorizationCodeTokenResponseClient();
		client.setRestClient(RestClient.builder()
			.requestFactory(requestFactory)
			.configureMessageConverters(converters -> {
				converters.addCustomConverter(new FormHttpMessageConverter());
				converters.addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter());
			})
			.defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
			.build());
		return client;
	}

	private static DefaultOAuth2UserService userService(JdkClientHttpRequestFactory requestFactory) {
		RestTemplate rest = new RestTemplate(requestFactory);
		rest.setErrorHandler(new OAuth2ErrorResponseErrorHandler());
		DefaultOAuth2UserService service = new DefaultOAuth2UserService();
		service.setRestOperations(rest);
		return service;
	}

	private static OidcUserService oidcUserService(JdkClientHttpRequestFactory requestFactory) {
		OidcUserService service = new OidcUserService();
		service.setOauth2UserService(userService(requestFactory));
		return service;
	}

}
