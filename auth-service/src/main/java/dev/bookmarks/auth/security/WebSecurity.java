package dev.bookmarks.auth.security;

import dev.bookmarks.auth.federation.SocialLogin;
import dev.bookmarks.auth.oidc.AuthProperties;
import dev.bookmarks.auth.throttle.LoginThrottling;
import dev.bookmarks.platform.security.BookmarksJwt;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The filter chains after the authorization server's own (order 1): the JSON API, the actuator,
 * and the browser pages (the login form).
 */
@Configuration(proxyBeanMethods = false)
class WebSecurity {

	/**
	 * {@code /api/**} is a stateless resource server: bearer tokens only, no session, no cookie is
	 * ever read, and so no CSRF token is needed. Failures are problem+json, never redirects.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, JsonMapper json) {
		ProblemResponses problems = new ProblemResponses(json);
		http.securityMatcher("/api/**")
			.authorizeHttpRequests(authorize -> authorize
				.requestMatchers(HttpMethod.POST, "/api/accounts", "/api/accounts/password-reset",
						"/api/accounts/password-reset/confirm", "/api/accounts/email-change/confirm")
				.permitAll()
				.requestMatchers("/api/admin/**")
				.hasRole("ADMIN")
				.anyRequest()
				.authenticated())
			.oauth2ResourceServer(resourceServer -> resourceServer
				.jwt(jwt -> jwt.jwtAuthenticationConverter(BookmarksJwt.authenticationConverter()))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.csrf(csrf -> csrf.disable());
		return http.build();
	}

	/**
	 * Probes and metrics are open, including the probe paths on the main port ({@code /livez},
	 * {@code /readyz}); every other actuator endpoint is closed. So is the OpenAPI document, which
	 * the gateway reads for {@code /api/docs/auth-service}: it describes the API, never data.
	 */
	@Bean
	@Order(3)
	SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http) {
		RequestMatcher probesOnMainPort = EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, "health");
		RequestMatcher apiDocument = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/v3/api-docs");
		http.securityMatcher(new OrRequestMatcher(EndpointRequest.toAnyEndpoint(), probesOnMainPort, apiDocument))
			.authorizeHttpRequests(authorize -> authorize
				.requestMatchers(EndpointRequest.to("health", "prometheus"), probesOnMainPort, apiDocument)
				.permitAll()
				.anyRequest()
				.denyAll())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.csrf(csrf -> csrf.disable());
		return http.build();
	}

	/**
	 * The login page and everything else a browser sees; form login with CSRF protection, and the
	 * social login when providers are configured.
	 */
	@Bean
	@Order(4)
	SecurityFilterChain browserSecurityFilterChain(HttpSecurity http, AuthProperties properties,
			SocialLogin socialLogin, LoginThrottling loginThrottling) {
		http.authorizeHttpRequests(authorize -> authorize.requestMatchers("/login", "/error", "/css/**", "/favicon.ico")
			.permitAll()
			.anyRequest()
			.authenticated())
			// Without a saved authorization request (someone opened /auth/login directly) the
			// person lands on the web app, which then signs in through this same session.
			.formLogin(form -> form.loginPage("/login")
				.defaultSuccessUrl(properties.publicOrigin() + "/")
				// Locks and per-address limits, for the password form only (social sign-in keeps the
				// chain's own manager); every refusal looks like a wrong password.
				.withObjectPostProcessor(new ObjectPostProcessor<UsernamePasswordAuthenticationFilter>() {
					@Override
					public <O extends UsernamePasswordAuthenticationFilter> O postProcess(O filter) {
						filter.setAuthenticationManager(loginThrottling.authenticationManager());
						return filter;
					}
				}));
		socialLogin.applyTo(http);
		return http.build();
	}

}
