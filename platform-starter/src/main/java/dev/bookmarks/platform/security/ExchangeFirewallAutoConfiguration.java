package dev.bookmarks.platform.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/**
 * Spring Security's strict firewall in every WebFlux service and the gateway, as Spring Security would install it,
 * with its header checks done by {@link HeaderText} instead of a regular expression per read of a header.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(StrictServerWebExchangeFirewall.class)
public class ExchangeFirewallAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServerWebExchangeFirewall serverWebExchangeFirewall() {
		StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
		firewall.setAllowedHeaderNames(HeaderText::allowedName);
		firewall.setAllowedHeaderValues(HeaderText::allowedValue);
		return firewall;
	}

}
