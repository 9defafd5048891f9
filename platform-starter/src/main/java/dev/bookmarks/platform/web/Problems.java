package dev.bookmarks.platform.web;

import java.util.Comparator;
import java.util.List;

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

	/**
	 * The problem for an error nobody handled: 503 when a service behind the gateway is down or
	 * too slow, else 500. Never the exception's text: it may hold internals.
	 */
	public static ProblemDetail unexpected(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.net.ConnectException || cause instanceof java.util.concurrent.TimeoutException) {
				return of(HttpStatus.SERVICE_UNAVAILABLE, "The service is unavailable, try again shortly.");
			}
		}
		return of(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side.");
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
