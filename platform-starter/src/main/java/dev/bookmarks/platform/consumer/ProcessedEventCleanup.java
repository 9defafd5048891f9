package dev.bookmarks.platform.consumer;

import java.time.Duration;

import dev.bookmarks.platform.PeriodicTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Forgets processed-event ids once no copy of their event can arrive any more: after the retention,
 * which must exceed the topics' retention (Kafka's default is 7 days).
 */
public class ProcessedEventCleanup extends PeriodicTask {

	private static final Log log = LogFactory.getLog(ProcessedEventCleanup.class);

	private final DatabaseClient db;

	private final Duration retention;

	public ProcessedEventCleanup(DatabaseClient db, Duration retention, Duration interval) {
		super(interval);
		this.db = db;
		this.retention = retention;
	}

	/** Deletes the ids older than the retention; returns how many. */
	public Mono<Long> cleanUp() {
		return db.sql("DELETE FROM processed_event WHERE processed_at < now() - CAST($1 AS interval)")
			.bind(0, retention.toMillis() + " milliseconds")
			.fetch()
			.rowsUpdated();
	}

	@Override
	protected Mono<Long> runOnce() {
		return cleanUp().doOnNext(deleted -> {
			if (deleted > 0) {
				log.info("Forgot " + deleted + " processed-event ids older than " + retention);
			}
		});
	}

}
