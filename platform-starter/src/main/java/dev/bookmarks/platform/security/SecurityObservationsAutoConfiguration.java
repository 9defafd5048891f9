package dev.bookmarks.platform.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * No Spring Security observations in any service or the gateway: neither per filter, nor per authentication, nor
 * per authorization. Turning them off by property ({@code management.observations.enable.spring.security=false},
 * which {@code PlatformDefaults} still sets) only made each observation a no-op: Spring Security kept wrapping every
 * filter of its chains in an observing decorator, a few more Reactor operators and lambdas per filter and request.
 * With these settings it installs no decorator at all. The request's own observation ({@code http.server.requests})
 * says how long it took and how it ended.
 */
@AutoConfiguration
@ConditionalOnClass(SecurityObservationSettings.class)
public class SecurityObservationsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

}
