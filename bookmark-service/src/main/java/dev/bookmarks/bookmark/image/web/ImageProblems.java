package dev.bookmarks.bookmark.image.web;

import java.util.List;

import dev.bookmarks.bookmark.capacity.OverloadedException;
import dev.bookmarks.bookmark.fetch.FetchRefusedException;
import dev.bookmarks.bookmark.image.AlreadySavedException;
import dev.bookmarks.bookmark.image.ImageNotFoundException;
import dev.bookmarks.bookmark.picture.InvalidImageException;
import dev.bookmarks.platform.web.Problems;
import dev.bookmarks.platform.web.Problems.InvalidField;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The image API's own failures as problem+json. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ImageProblems {

	@ExceptionHandler({ FetchRefusedException.class, InvalidImageException.class })
	ResponseEntity<ProblemDetail> refused(RuntimeException ex) {
		return problem(Problems.invalid(List.of(new InvalidField("url", ex.getMessage()))));
	}

	/** A bound on decoding or downloading is full: nothing was stored, the same request may succeed later. */
	@ExceptionHandler(OverloadedException.class)
	ResponseEntity<ProblemDetail> overloaded(OverloadedException ex) {
		ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	@ExceptionHandler(AlreadySavedException.class)
	ResponseEntity<ProblemDetail> alreadySaved(AlreadySavedException ex) {
		ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "You already saved this URL.");
		problem.setProperty("existingId", ex.existingId());
		return problem(problem);
	}

	@ExceptionHandler(ImageNotFoundException.class)
	ResponseEntity<ProblemDetail> notFound(ImageNotFoundException ex) {
		return problem(Problems.of(HttpStatus.NOT_FOUND, "There is no such image."));
	}

	private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
