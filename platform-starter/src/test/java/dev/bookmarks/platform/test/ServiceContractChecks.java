package dev.bookmarks.platform.test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every running WebFlux service promises, whatever its domain: probes and metrics for the
 * platform, 401 problem+json without a token, 404 problem+json for an unknown path. A service's
 * full-application test extends it and names one of its API paths.
 */
public abstract class ServiceContractChecks {

	@LocalServerPort
	protected int port;

	protected WebTestClient client;

	@Autowired
	private ApplicationContext context;

	/** A path under /api that this service owns. */
	protected abstract String protectedApiPath();

	@BeforeEach
	void bindClient() {
		client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	protected String userToken() {
		return TestTokenIssuer.shared().token(UUID.randomUUID(), "someone");
	}

	@Test
	void theSecurityChainChecksHeadersWithThePlatformsFirewall() {
		ServerWebExchangeFirewall firewall = context.getBean(ServerWebExchangeFirewall.class);
		assertThat(firewall).isInstanceOf(StrictServerWebExchangeFirewall.class);
		assertThat(ReflectionTestUtils.getField(context.getBean(WebFilterChainProxy.class), "firewall"))
			.isSameAs(firewall);
		assertThat(ReflectionTestUtils.getField(firewall, "allowedHeaderValues"))
			.isNotSameAs(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES);
	}

	@Test
	void livenessReadinessAndPrometheusAnswerWithoutAToken() {
		client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> org.assertj.core.api.Assertions.assertThat(body).contains("jvm_memory_used_bytes"));
	}

	@Test
	void apiWithoutATokenIsA401Problem() {
		client.get()
			.uri(protectedApiPath())
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(401);
	}

	@Test
	void unknownPathIsA404ProblemNeverAnHtmlPage() {
		client.get()
			.uri("/api/no-such-thing")
			.headers(headers -> headers.setBearerAuth(userToken()))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404);
	}


	@Test
	void everyRouteOfTheCodeIsInTheApiDocument() {
		JsonNode document = apiDocument();
		assertThat(ApiDocuments.operations(document))
			.containsAll(WebFluxRoutes.of(context, path -> path))
			.isNotEmpty();
		ApiDocuments.assertSharedConventions(document);
	}

	/**
	 * Each operation called without credentials: one the document calls public gets past the
	 * security (whatever it answers then), every other one is a 401.
	 */
	@Test
	void theApiDocumentSaysWhichCallsNeedCredentials() {
		JsonNode document = apiDocument();
		for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
			for (String method : java.util.List.of("get", "put", "post", "delete", "patch")) {
				if (!path.getValue().has(method)) {
					continue;
				}
				String uri = path.getKey().replaceAll("\\{[^}]*}", UUID.randomUUID().toString());
				int status = client.method(HttpMethod.valueOf(method.toUpperCase(java.util.Locale.ROOT)))
					.uri(uri)
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue("{}")
					.exchange()
					.returnResult(byte[].class)
					.getStatus()
					.value();
				boolean isPublic = ApiDocuments.isPublic(document, method, path.getKey());
				assertThat(status == 401).as(method + " " + path.getKey() + " answered " + status + " without credentials")
					.isEqualTo(!isPublic);
			}
		}
	}

	private JsonNode apiDocument() {
		byte[] body = client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		try {
			// For people to read after the build; nothing reads it back.
			java.nio.file.Files.write(java.nio.file.Path.of("target", "openapi.json"), body);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return JsonMapper.builder().build().readTree(body);
	}

}
