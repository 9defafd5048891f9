package dev.bookmarks.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * The gateway forwards bearer tokens untouched and each service validates them itself, so the
 * gateway does not authenticate API calls. It holds no browser session yet, hence no ambient
 * credential to protect with CSRF; the web UI's session login (backend-for-frontend) adds both.
 *
 * <p>Nor does it look for a security context or a saved request in a web session: with Spring
 * Security's defaults every request asked for a session, and creating the in-memory one hops to a
 * bounded-elastic thread and back on a parallel one, so each proxied request left the event loop
 * twice and cost the gateway as much CPU as the service behind it (measured with
 * deploy/bench/bench and JFR).
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurity {

	@Bean
	SecurityWebFilterChain gatewayFilterChain(ServerHttpSecurity http) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
			.build();
	}

}
