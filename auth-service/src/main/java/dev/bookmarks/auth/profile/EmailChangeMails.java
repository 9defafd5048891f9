package dev.bookmarks.auth.profile;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.auth.mail.MailQueue;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Mails about email changes waiting to be sent ({@code email_change_mail}): the request commits
 * rows, the {@link EmailChangeMailer} sends them.
 */
@Repository
class EmailChangeMails {

	enum Kind {

		/** The link, to the new address. */
		CONFIRM,

		/** To the old address: a change was asked for. */
		NOTICE,

		/** To an address another account has: someone asked for it. No link. */
		TAKEN

	}

	/** A queued mail. */
	record Mail(Kind kind, UUID accountId, UUID changeId, String recipient, String newEmail) {
	}

	private final MailQueue<Mail> queue;

	EmailChangeMails(JdbcClient jdbc) {
		this.queue = new MailQueue<>(jdbc, "email_change_mail",
				List.of("kind", "account_id", "change_id", "recipient", "new_email"),
				row -> new Mail(Kind.valueOf(row.getString("kind")), row.getObject("account_id", UUID.class),
						row.getObject("change_id", UUID.class), row.getString("recipient"), row.getString("new_email")));
	}

	void add(Kind kind, UUID accountId, UUID changeId, String recipient, String newEmail, Instant now) {
		queue.add(now, kind.name(), accountId, changeId, recipient, newEmail);
	}

	MailQueue<Mail> queue() {
		return queue;
	}

}
