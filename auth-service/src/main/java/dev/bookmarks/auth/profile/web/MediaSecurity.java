package dev.bookmarks.auth.profile.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /media/**} is public and stateless: no login, no session, no CSRF, and the long cache
 * headers of the photos are not overwritten with Spring Security's {@code no-store}. Its path is
 * disjoint from every other chain's, so its place only has to be before the browser chain that
 * matches everything else.
 */
@Configuration(proxyBeanMethods = false)
class MediaSecurity {

	@Bean
	@Order(0)
	SecurityFilterChain mediaSecurityFilterChain(HttpSecurity http) {
		http.securityMatcher("/media/**")
			.authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
			.headers(headers -> headers.cacheControl(cache -> cache.disable()))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.csrf(csrf -> csrf.disable());
		return http.build();
	}

}
