package dev.bookmarks.platform.web;

import java.util.Comparator;
import java.util.List;

import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/** Builds the RFC 9457 bodies of docs/api.md: {@code status}, {@code title}, {@code detail}, {@code errors}. */
public final class Problems {

	private Problems() {
	}

	/** One invalid field of a request. */
	public record InvalidField(String field, String message) {
	}

	public static ProblemDetail of(HttpStatusCode status, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		HttpStatus known = HttpStatus.resolve(status.value());
		problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
		return problem;
	}

	/** Seconds a client is asked to wait after a 503 for an error nobody handled. */
	public static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

	/**
	 * The problem for an error nobody handled: 503 when a service behind the gateway is down or
	 * too slow, or a resource of this one is exhausted for now (a database pool with no free
	 * connection, a query timeout), else 500. Never the exception's text: it may hold internals.
	 */
	public static ProblemDetail unexpected(Throwable error) {
		return isTransient(error) ? of(HttpStatus.SERVICE_UNAVAILABLE, "The service is unavailable, try again shortly.")
				: of(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side.");
	}

	/** The headers that go with {@link #unexpected}'s problem: {@code Retry-After} on a 503. */
	public static HttpHeaders unexpectedHeaders(ProblemDetail problem) {
		HttpHeaders headers = new HttpHeaders();
		if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
			headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(UNAVAILABLE_RETRY_AFTER_SECONDS));
		}
		return headers;
	}

	private static boolean isTransient(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.net.ConnectException || cause instanceof java.util.concurrent.TimeoutException
					|| cause instanceof TransientDataAccessException) {
				return true;
			}
		}
		return false;
	}

	public static ProblemDetail invalid(List<InvalidField> errors) {
		ProblemDetail problem = of(HttpStatus.BAD_REQUEST,
				errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid");
		problem.setProperty("errors", errors);
		return problem;
	}

	public static ProblemDetail invalid(BindingResult result) {
		List<InvalidField> errors = result.getAllErrors()
			.stream()
			.map(Problems::toInvalidField)
			.sorted(Comparator.comparing(InvalidField::field).thenComparing(InvalidField::message))
			.toList();
		return invalid(errors);
	}

	private static InvalidField toInvalidField(ObjectError error) {
		String field = error instanceof FieldError fieldError ? fieldError.getField() : error.getObjectName();
		return new InvalidField(field, error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid");
	}

}
