package dev.bookmarks.platform.security;

import dev.bookmarks.platform.web.Problems;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Every WebFlux service is a resource server: it validates the JWT itself (signature, issuer,
 * audience, expiry), answers 401/403 as problem+json, and keeps no session.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ ServerHttpSecurity.class, NimbusReactiveJwtDecoder.class })
@EnableConfigurationProperties(ResourceServerProperties.class)
@EnableWebFluxSecurity
public class ReactiveResourceServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactiveJwtDecoder jwtDecoder(ResourceServerProperties properties) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
		OAuth2TokenValidator<Jwt> validator = BookmarksJwt.validator(properties.issuer(), properties.audience());
		decoder.setJwtValidator(validator);
		return new VerifiedTokens(decoder, validator, properties.verifiedTokens());
	}

	@Bean
	@ConditionalOnMissingBean
	SecurityWebFilterChain resourceServerFilterChain(ServerHttpSecurity http, ResourceServerProperties properties,
			JsonMapper json) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.securityContextRepository(
					org.springframework.security.web.server.context.NoOpServerSecurityContextRepository.getInstance())
			.authorizeExchange(exchanges -> {
				exchanges.pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/info",
						"/actuator/prometheus")
					.permitAll();
				// The OpenAPI document, read by the gateway for /api/docs/<service>: it describes the
				// API, never data.
				exchanges.pathMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**").permitAll();
				for (String rule : properties.publicPaths()) {
					String[] parts = rule.trim().split("\\s+", 2);
					if (parts.length == 2) {
						exchanges.pathMatchers(HttpMethod.valueOf(parts[0]), parts[1]).permitAll();
					}
					else {
						exchanges.pathMatchers(parts[0]).permitAll();
					}
				}
				exchanges.anyExchange().authenticated();
			})
			.oauth2ResourceServer(oauth2 -> oauth2
				.jwt(jwt -> jwt.jwtAuthenticationConverter(
						new ReactiveJwtAuthenticationConverterAdapter(BookmarksJwt.authenticationConverter())))
				.authenticationEntryPoint((exchange, ex) -> write(exchange.getResponse(), json,
						Problems.of(HttpStatus.UNAUTHORIZED, "A valid access token is required.")))
				.accessDeniedHandler((exchange, ex) -> write(exchange.getResponse(), json,
						Problems.of(HttpStatus.FORBIDDEN, "You may not do this."))))
			.exceptionHandling(handling -> handling
				.authenticationEntryPoint((exchange, ex) -> write(exchange.getResponse(), json,
						Problems.of(HttpStatus.UNAUTHORIZED, "A valid access token is required.")))
				.accessDeniedHandler((exchange, ex) -> write(exchange.getResponse(), json,
						Problems.of(HttpStatus.FORBIDDEN, "You may not do this."))))
			.build();
	}

	private static Mono<Void> write(ServerHttpResponse response, JsonMapper json, ProblemDetail problem) {
		response.setStatusCode(HttpStatus.valueOf(problem.getStatus()));
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (problem.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
			response.getHeaders().set("WWW-Authenticate", "Bearer");
		}
		return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(problem))));
	}

}
