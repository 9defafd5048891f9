package dev.bookmarks.ranking.web;

import dev.bookmarks.platform.web.Problems;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The rankings API's own failures as problem+json. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RankingProblems {

	static final String RETRY_AFTER_SECONDS = "5";

	@ExceptionHandler(ImageNotFoundException.class)
	ResponseEntity<ProblemDetail> notFound(ImageNotFoundException ex) {
		return problem(Problems.of(HttpStatus.NOT_FOUND, "There is no such image in the rankings."));
	}

	@ExceptionHandler(RebuildRunningException.class)
	ResponseEntity<ProblemDetail> rebuildRunning(RebuildRunningException ex) {
		return problem(Problems.of(HttpStatus.CONFLICT, "A rebuild of the rankings is already running."));
	}

	/** Redis unreachable or too slow: a 503 the client may retry, never a 500. */
	@ExceptionHandler({ DataAccessResourceFailureException.class, QueryTimeoutException.class })
	ResponseEntity<ProblemDetail> redisAway(RuntimeException ex) {
		ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE,
				"The rankings are unavailable, try again shortly.");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header("Retry-After", RETRY_AFTER_SECONDS)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
