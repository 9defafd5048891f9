package dev.bookmarks.platform.test;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every running WebFlux service promises, whatever its domain: probes and metrics for the
 * platform, 401 problem+json without a token, 404 problem+json for an unknown path. A service's
 * full-application test extends it and names one of its API paths.
 */
public abstract class ServiceContractChecks {

	@LocalServerPort
	protected int port;

	protected WebTestClient client;

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

}
