package dev.bookmarks.gateway.problem;

import java.time.Duration;

import dev.bookmarks.platform.web.Problems;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/** Answers the gateway writes itself: always problem+json (API.md), never a redirect for /api/**. */
@Component
public class ProblemResponses {

	private final JsonMapper json;

	public ProblemResponses(JsonMapper json) {
		this.json = json;
	}

	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail) {
		return write(exchange, status, detail, null);
	}

	/** With {@code Retry-After} in whole seconds (at least 1) when {@code retryAfter} is given. */
	public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail, Duration retryAfter) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		ProblemDetail problem = Problems.of(status, detail);
		problem.setInstance(exchange.getRequest().getURI().resolve(exchange.getRequest().getPath().value()));
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (retryAfter != null) {
			long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
		}
		if (status == HttpStatus.UNAUTHORIZED) {
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		}
		return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(problem))));
	}

}
