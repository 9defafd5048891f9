package dev.bookmarks.platform.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** problem+json everywhere, on whichever web stack the service runs. */
@AutoConfiguration(beforeName = { "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
		"org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration",
		"org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration" })
public class ProblemAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class Reactive {

		@Bean
		@ConditionalOnMissingBean
		ReactiveProblemAdvice reactiveProblemAdvice() {
			return new ReactiveProblemAdvice();
		}

		@Bean
		ProblemWebExceptionHandler problemWebExceptionHandler(JsonMapper json) {
			return new ProblemWebExceptionHandler(json);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class Servlet {

		@Bean
		@ConditionalOnMissingBean
		ServletProblemAdvice servletProblemAdvice() {
			return new ServletProblemAdvice();
		}

	}

}
