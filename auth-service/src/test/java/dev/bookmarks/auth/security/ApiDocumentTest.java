package dev.bookmarks.auth.security;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.bookmarks.auth.AuthServiceTest;
import dev.bookmarks.platform.test.ApiDocuments;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * auth-service's OpenAPI document, as the gateway reads it for {@code /api/docs/auth-service}: it
 * lists every route of the code under the path clients call, shares the conventions of every
 * Bookmarks document, and says truly which calls need credentials.
 */
class ApiDocumentTest extends AuthServiceTest {

	@Autowired
	ApplicationContext context;

	@Test
	void everyRouteOfTheCodeIsInTheApiDocument() {
		JsonNode document = document();

		assertThat(ApiDocuments.operations(document)).containsAll(routes()).contains("GET /auth/login",
				"POST /api/accounts", "GET /media/avatars/{}");
		ApiDocuments.assertSharedConventions(document);
	}

	@Test
	void theDocumentIsOpenToAGetAndToNothingElse() {
		HttpResponse<String> document = get("/v3/api-docs", null);
		assertThat(document.statusCode()).isEqualTo(200);
		assertThat(send(plainClient(), HttpRequest.newBuilder(URI.create(base() + "/v3/api-docs/swagger-config"))
			.timeout(Duration.ofSeconds(20))
			.build()).statusCode()).isNotEqualTo(200);
		assertThat(send(plainClient(), HttpRequest.newBuilder(URI.create(base() + "/v3/api-docs"))
			.timeout(Duration.ofSeconds(20))
			.DELETE()
			.build()).statusCode()).isNotEqualTo(200);
	}

	/** Each operation without credentials: a public one gets past the security, any other is a 401. */
	@Test
	void theApiDocumentSaysWhichCallsNeedCredentials() {
		JsonNode document = document();
		for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
			for (String method : List.of("get", "put", "post", "delete", "patch")) {
				if (!path.getValue().has(method)) {
					continue;
				}
				String publicPath = path.getKey().replaceAll("\\{[^}]*}", UUID.randomUUID().toString());
				String servicePath = publicPath.startsWith("/auth/") ? publicPath : "/auth" + publicPath;
				HttpResponse<String> response = send(plainClient(),
						HttpRequest.newBuilder(URI.create("http://localhost:" + port + servicePath))
							.timeout(Duration.ofSeconds(20))
							.header("Content-Type", "application/json")
							.method(method.toUpperCase(Locale.ROOT), HttpRequest.BodyPublishers.ofString("{}"))
							.build());
				boolean isPublic = ApiDocuments.isPublic(document, method, path.getKey());
				assertThat(response.statusCode() == 401)
					.as(method + " " + path.getKey() + " answered " + response.statusCode() + " without credentials")
					.isEqualTo(!isPublic);
			}
		}
	}

	private JsonNode document() {
		HttpResponse<String> response = get("/v3/api-docs", null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json(response);
	}

	/** The routes of auth-service's own controllers, under the paths the public origin gives them. */
	private Set<String> routes() {
		Set<String> routes = new TreeSet<>();
		for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
			for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
				if (!entry.getValue().getBeanType().getName().startsWith("dev.bookmarks.")) {
					continue;
				}
				Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
				for (String pattern : entry.getKey().getPatternValues()) {
					String path = ApiDocumentPaths.publicPath(pattern);
					if (methods.isEmpty()) {
						routes.add(ApiDocuments.route("ANY", path));
					}
					methods.forEach(method -> routes.add(ApiDocuments.route(method.name(), path)));
				}
			}
		}
		assertThat(routes).isNotEmpty();
		return routes;
	}

}
