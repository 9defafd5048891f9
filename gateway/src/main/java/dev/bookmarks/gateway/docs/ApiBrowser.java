package dev.bookmarks.gateway.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The API browser at {@code /api/docs}: Swagger UI (from its webjar, under {@code /api/docs/ui/})
 * over every service's OpenAPI document. The documents themselves are gateway routes,
 * {@code GET /api/docs/<service>} to the service's {@code /v3/api-docs} (application.yml), so they
 * and "try it out" go through this origin. No inline script or style: the page keeps the
 * gateway's Content-Security-Policy.
 */
@Configuration(proxyBeanMethods = false)
class ApiBrowser {

	/** Each service that publishes a document, in the order the browser lists them. */
	static final List<String> SERVICES = List.of("auth-service", "bookmark-service", "social-graph-service",
			"activity-service", "ranking-service");

	private static final Pattern WEBJAR_VERSION = Pattern.compile("/webjars/swagger-ui/([^/]+)/swagger-ui-bundle\\.js$");

	@Bean
	RouterFunction<ServerResponse> apiBrowserRoutes() throws IOException {
		String page = page();
		Resource script = new ClassPathResource("web/docs/browser.js");
		return RouterFunctions.route()
			.GET("/api/docs", request -> ServerResponse.ok()
				.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
				.cacheControl(CacheControl.noCache())
				.bodyValue(page))
			.GET("/api/docs/browser.js", request -> ServerResponse.ok()
				.contentType(MediaType.valueOf("text/javascript"))
				.cacheControl(CacheControl.noCache())
				.bodyValue(script))
			.build()
			.and(RouterFunctions.resources("/api/docs/ui/**", swaggerUi()));
	}

	private static String page() {
		String documents = SERVICES.stream()
			.map(service -> "{\"name\":\"" + service + "\",\"url\":\"/api/docs/" + service + "\"}")
			.collect(Collectors.joining(",", "[", "]"));
		return """
				<!DOCTYPE html>
				<html lang="en">
				<head>
				<meta charset="utf-8">
				<meta name="viewport" content="width=device-width, initial-scale=1">
				<title>Bookmarks API</title>
				<link rel="stylesheet" href="/api/docs/ui/swagger-ui.css">
				</head>
				<body>
				<div id="api-browser" data-documents="%s"></div>
				<script src="/api/docs/ui/swagger-ui-bundle.js"></script>
				<script src="/api/docs/ui/swagger-ui-standalone-preset.js"></script>
				<script src="/api/docs/browser.js"></script>
				</body>
				</html>
				""".formatted(HtmlUtils.htmlEscape(documents));
	}

	/** The webjar's folder, whichever version the build brought. */
	private static Resource swaggerUi() throws IOException {
		Resource[] bundles = new PathMatchingResourcePatternResolver()
			.getResources("classpath*:META-INF/resources/webjars/swagger-ui/*/swagger-ui-bundle.js");
		if (bundles.length == 0) {
			throw new IllegalStateException("The swagger-ui webjar is not on the classpath");
		}
		Matcher version = WEBJAR_VERSION.matcher(bundles[0].getURL().toString());
		if (!version.find()) {
			throw new IllegalStateException("Unexpected swagger-ui webjar layout: " + bundles[0].getURL());
		}
		return new ClassPathResource("META-INF/resources/webjars/swagger-ui/" + version.group(1) + "/");
	}

}
