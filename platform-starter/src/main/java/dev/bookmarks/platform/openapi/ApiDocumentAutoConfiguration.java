package dev.bookmarks.platform.openapi;

import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.web.server.WebFilter;
import reactor.core.scheduler.Schedulers;

/**
 * A service that has springdoc on its classpath publishes its OpenAPI document at
 * {@code /v3/api-docs} with what every Bookmarks API shares (see {@link ApiConventions}): the
 * gateway as the one server, the two kinds of credentials, problem+json errors. The gateway lists
 * the documents at {@code /api/docs}.
 */
@AutoConfiguration(beforeName = "org.springdoc.core.configuration.SpringDocConfiguration")
@ConditionalOnClass({ OpenAPI.class, GlobalOpenApiCustomizer.class })
@ConditionalOnWebApplication
public class ApiDocumentAutoConfiguration {

	/**
	 * The document's base. Its server is the origin the document is read from: the gateway, which
	 * is the only origin clients call, so "try it out" goes through the gateway too.
	 */
	@Bean
	@ConditionalOnMissingBean
	OpenAPI bookmarksOpenApi(Environment environment) {
		String service = environment.getProperty("spring.application.name", "service");
		return new OpenAPI()
			.info(new Info().title("Bookmarks " + service)
				.version(environment.getProperty("spring.application.version", "development"))
				.description(ApiConventions.DESCRIPTION))
			.servers(List.of(new Server().url("/").description("the public origin (the gateway)")));
	}

	@Bean
	GlobalOpenApiCustomizer bookmarksApiConventions() {
		return new ApiConventions();
	}


	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class Reactive {

		/**
		 * springdoc builds the document on its first request by scanning the classpath and
		 * reflecting over every controller: blocking work, which must not run on an event loop.
		 * Document requests are rare (the gateway's API browser), so the whole exchange moves to
		 * the bounded-elastic scheduler.
		 */
		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		WebFilter apiDocumentOffTheEventLoop(Environment environment) {
			String documentPath = environment.getProperty("springdoc.api-docs.path", "/v3/api-docs");
			return (exchange, chain) -> exchange.getRequest().getPath().pathWithinApplication().value().startsWith(documentPath)
					? chain.filter(exchange).subscribeOn(Schedulers.boundedElastic()) : chain.filter(exchange);
		}

	}

}
