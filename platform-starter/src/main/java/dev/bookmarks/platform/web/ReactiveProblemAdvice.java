package dev.bookmarks.platform.web;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

/** problem+json for every error a WebFlux controller raises, with field errors for validation. */
@RestControllerAdvice
public class ReactiveProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ReactiveProblemAdvice.class);

	@Override
	protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		return handleExceptionInternal(ex, Problems.invalid(ex.getBindingResult()), headers, status, exchange);
	}

	@ExceptionHandler(InvalidRequestException.class)
	Mono<ResponseEntity<Object>> handleInvalid(InvalidRequestException ex, ServerWebExchange exchange) {
		return handleExceptionInternal(ex, Problems.invalid(ex.errors()), new HttpHeaders(), HttpStatus.BAD_REQUEST,
				exchange);
	}

	@ExceptionHandler(AccessDeniedException.class)
	Mono<ResponseEntity<Object>> handleDenied(AccessDeniedException ex, ServerWebExchange exchange) {
		return handleExceptionInternal(ex, Problems.of(HttpStatus.FORBIDDEN, "You may not do this."),
				new HttpHeaders(), HttpStatus.FORBIDDEN, exchange);
	}

	@ExceptionHandler(Exception.class)
	Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
		ProblemDetail problem = Problems.unexpected(ex);
		log.error("Unhandled error on " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath()
				+ ", answered " + problem.getStatus(), ex);
		return handleExceptionInternal(ex, problem, Problems.unexpectedHeaders(problem),
				HttpStatus.valueOf(problem.getStatus()),
				exchange);
	}

}
