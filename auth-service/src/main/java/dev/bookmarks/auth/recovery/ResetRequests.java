package dev.bookmarks.auth.recovery;

import java.time.Instant;
import java.util.List;

import dev.bookmarks.auth.mail.MailQueue;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reset requests waiting for their mail ({@code password_reset_request}), each by the address it
 * was asked for: the request commits a row, the {@link PasswordResetMailer} sends it.
 */
@Repository
class ResetRequests {

	private final MailQueue<String> queue;

	ResetRequests(JdbcClient jdbc) {
		this.queue = new MailQueue<>(jdbc, "password_reset_request", List.of("email"), row -> row.getString("email"));
	}

	void add(String email, Instant now) {
		queue.add(now, email);
	}

	MailQueue<String> queue() {
		return queue;
	}

}
