package dev.bookmarks.auth.security;

import io.swagger.v3.oas.models.Paths;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The document's paths as clients call them on the public origin. The service runs under
 * {@code /auth}; the gateway forwards {@code /auth/**} unchanged but serves the accounts API and
 * the photos without that prefix ({@code /api/accounts} to {@code /auth/api/accounts}). So the
 * login page is {@code /auth/login} in the document, and {@code /api/...} stays as it is.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentPaths {

	@Bean
	OpenApiCustomizer publicPaths() {
		return openApi -> {
			if (openApi.getPaths() == null) {
				return;
			}
			Paths paths = new Paths();
			openApi.getPaths().forEach((path, item) -> paths.addPathItem(publicPath(path), item));
			openApi.setPaths(paths);
		};
	}

	static String publicPath(String servicePath) {
		return servicePath.startsWith("/api/") || servicePath.startsWith("/media/") ? servicePath
				: "/auth" + servicePath;
	}

}
