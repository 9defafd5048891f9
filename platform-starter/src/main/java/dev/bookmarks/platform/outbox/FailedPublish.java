package dev.bookmarks.platform.outbox;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** What a failed publish does to its row: one more attempt, a later retry, or parking. */
record FailedPublish(OutboxRow row, int attempts, boolean parked, String reason, String retryIn, int maxAttempts) {

	private static final Log log = LogFactory.getLog(FailedPublish.class);

	static FailedPublish of(OutboxRow row, Throwable error, OutboxProperties properties) {
		int attempts = row.attempts() + 1;
		boolean parked = attempts >= properties.maxAttempts();
		if (parked) {
			log.error("Parking outbox row " + row.id() + " after " + attempts + " failed attempts", error);
		}
		else {
			log.warn("Publishing outbox row " + row.id() + " failed (attempt " + attempts + "): "
					+ OutboxRow.describe(error));
		}
		return new FailedPublish(row, attempts, parked, OutboxRow.describe(error),
				OutboxSql.interval(properties.backoffAfter(attempts)), properties.maxAttempts());
	}

	/** Parameters of {@link OutboxSql#MARK_FAILED}, in order. */
	Object[] markFailedParameters() {
		return new Object[] { reason, retryIn, maxAttempts, row.id() };
	}

}
