package dev.bookmarks.graph.web;

import java.util.List;

import dev.bookmarks.graph.directory.UserNotFoundException;
import dev.bookmarks.graph.follow.CannotFollowYourselfException;
import dev.bookmarks.platform.web.Problems;
import dev.bookmarks.platform.web.Problems.InvalidField;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The people API's own failures as problem+json. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class GraphProblems {

	@ExceptionHandler(UserNotFoundException.class)
	ResponseEntity<ProblemDetail> notFound(UserNotFoundException ex) {
		return problem(Problems.of(HttpStatus.NOT_FOUND, "There is no such user."));
	}

	@ExceptionHandler(CannotFollowYourselfException.class)
	ResponseEntity<ProblemDetail> yourself(CannotFollowYourselfException ex) {
		return problem(Problems.invalid(List.of(new InvalidField("username", "is you; you cannot follow yourself"))));
	}

	private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
