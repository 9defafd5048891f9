package dev.bookmarks.platform.web;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** problem+json for every error a Spring MVC controller raises, with field errors for validation. */
@RestControllerAdvice
public class ServletProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ServletProblemAdvice.class);

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return handleExceptionInternal(ex, Problems.invalid(ex.getBindingResult()), headers, status, request);
	}

	@ExceptionHandler(InvalidRequestException.class)
	ResponseEntity<Object> handleInvalid(InvalidRequestException ex, WebRequest request) {
		return handleExceptionInternal(ex, Problems.invalid(ex.errors()), new HttpHeaders(), HttpStatus.BAD_REQUEST,
				request);
	}

	@ExceptionHandler(AccessDeniedException.class)
	ResponseEntity<Object> handleDenied(AccessDeniedException ex, WebRequest request) {
		return handleExceptionInternal(ex, Problems.of(HttpStatus.FORBIDDEN, "You may not do this."),
				new HttpHeaders(), HttpStatus.FORBIDDEN, request);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
		ProblemDetail problem = Problems.unexpected(ex);
		log.error("Unhandled error on " + request.getDescription(false) + ", answered " + problem.getStatus(), ex);
		return handleExceptionInternal(ex, problem, Problems.unexpectedHeaders(problem),
				HttpStatus.valueOf(problem.getStatus()),
				request);
	}

}
