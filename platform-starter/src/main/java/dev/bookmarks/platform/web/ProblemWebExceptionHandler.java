package dev.bookmarks.platform.web;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * The last resort for errors outside controllers (no route, a filter failing): still
 * problem+json, never a stack trace or an HTML page.
 */
public class ProblemWebExceptionHandler implements WebExceptionHandler, Ordered {

	private static final Log log = LogFactory.getLog(ProblemWebExceptionHandler.class);

	private final JsonMapper json;

	public ProblemWebExceptionHandler(JsonMapper json) {
		this.json = json;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		ProblemDetail problem;
		if (ex instanceof ErrorResponse error) {
			HttpStatusCode status = error.getStatusCode();
			problem = Problems.of(status, error.getBody().getDetail() != null ? error.getBody().getDetail()
					: HttpStatus.valueOf(status.value()).getReasonPhrase());
			response.getHeaders().addAll(error.getHeaders());
		}
		else {
			problem = Problems.unexpected(ex);
			response.getHeaders().addAll(Problems.unexpectedHeaders(problem));
			log.error("Unhandled error on " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath()
					+ ", answered " + problem.getStatus(), ex);
		}
		problem.setInstance(exchange.getRequest().getURI().resolve(exchange.getRequest().getPath().value()));
		response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		DataBuffer body = response.bufferFactory().wrap(json.writeValueAsBytes(problem));
		return response.writeWith(Mono.just(body));
	}

	@Override
	public int getOrder() {
		// Before Spring Boot's own error handler (-1).
		return -2;
	}

}
