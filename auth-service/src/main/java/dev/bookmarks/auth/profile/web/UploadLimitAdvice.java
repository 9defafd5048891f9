package dev.bookmarks.auth.profile.web;

import java.util.List;

import dev.bookmarks.platform.web.Problems;
import dev.bookmarks.platform.web.Problems.InvalidField;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * A body over the multipart limits is refused while it is being parsed, before any controller
 * runs. Answer it like every other unacceptable photo, 400 naming the {@code file} field, rather
 * than the framework's 413, ahead of the starter's general advice.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UploadLimitAdvice {

	@ExceptionHandler(MaxUploadSizeExceededException.class)
	ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException ex) {
		ProblemDetail problem = Problems.invalid(List.of(new InvalidField("file",
				"The photo must be at most 5 MiB.")));
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
