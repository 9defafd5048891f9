package dev.bookmarks.auth.security;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.bookmarks.auth.AuthServiceTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ApiSecurityTest extends AuthServiceTest {

	@Test
	void theOwnAccountWithoutATokenIsA401ProblemAndNotARedirect() {
		HttpResponse<String> response = get("/api/accounts/me", null);

		assertUnauthorizedProblem(response);
	}

	@Test
	void aForgedTokenIsA401Problem() {
		String header = "eyJhbGciOiJSUzI1NiJ9";
		String payload = "eyJzdWIiOiIxIiwiYXVkIjpbImJvb2ttYXJrcy1hcGkiXX0";
		HttpResponse<String> response = get("/api/accounts/me", header + "." + payload + ".c2lnbmF0dXJl");

		assertUnauthorizedProblem(response);
	}

	@Test
	void anUnknownApiPathWithoutATokenIsA401ProblemToo() {
		assertUnauthorizedProblem(get("/api/anything", null));
	}

	@Test
	void healthIsOpenButOtherActuatorEndpointsAreNot() {
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
		assertThat(get("/livez", null).statusCode()).isEqualTo(200);
		assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
		HttpResponse<String> metrics = send(plainClient(),
				HttpRequest.newBuilder(URI.create(base() + "/actuator/prometheus")).header("Accept", "text/plain").build());
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(get("/actuator/info", null).statusCode()).isIn(401, 403);
	}

	@Test
	void theLoginPageIsOpenAndCarriesACsrfToken() {
		HttpResponse<String> page = get("/login", null);

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("name=\"_csrf\"").contains("name=\"username\"").contains("name=\"password\"");
	}

	private static void assertUnauthorizedProblem(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Location")).isEmpty();
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				value -> assertThat(value).startsWith("Bearer"));
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(401);
		assertThat(problem.get("title").asString()).isEqualTo("Unauthorized");
		assertThat(problem.get("detail").asString()).isNotBlank();
	}

}
