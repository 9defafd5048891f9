package dev.bookmarks.platform.web;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsTest {

	@Test
	void exhaustedOrUnreachableResourcesAreUnavailableWithRetryAfter() {
		for (Throwable error : new Throwable[] { new IllegalStateException("pool", new TimeoutException("acquire")),
				new RuntimeException(new ConnectException("refused")), new QueryTimeoutException("slow"),
				new TransientDataAccessResourceException("no connection") }) {
			ProblemDetail problem = Problems.unexpected(error);

			assertThat(problem.getStatus()).as(error.toString()).isEqualTo(503);
			assertThat(Problems.unexpectedHeaders(problem).getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
		}
	}

	@Test
	void anythingElseIsAnInternalErrorThatRevealsNothing() {
		ProblemDetail problem = Problems.unexpected(new DataIntegrityViolationException("secret table t_user"));

		assertThat(problem.getStatus()).isEqualTo(500);
		assertThat(problem.getDetail()).doesNotContain("secret");
		assertThat(Problems.unexpectedHeaders(problem).containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
	}

}
