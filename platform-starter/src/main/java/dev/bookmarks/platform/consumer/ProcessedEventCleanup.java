package dev.bookmarks.platform.consumer;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Forgets processed-event ids once no copy of their event can arrive any more: after the retention,
 * which must exceed the topics' retention (Kafka's default is 7 days).
 */
public class ProcessedEventCleanup implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(ProcessedEventCleanup.class);

	private final DatabaseClient db;

	private final Duration retention;

	private final Duration interval;

	private volatile Disposable loop;

	public ProcessedEventCleanup(DatabaseClient db, Duration retention, Duration interval) {
		this.db = db;
		this.retention = retention;
		this.interval = interval;
	}

	/** Deletes the ids older than the retention; returns how many. */
	public Mono<Long> cleanUp() {
		return db.sql("DELETE FROM processed_event WHERE processed_at < now() - CAST($1 AS interval)")
			.bind(0, retention.toMillis() + " milliseconds")
			.fetch()
			.rowsUpdated();
	}

	@Override
	public void start() {
		loop = Flux.interval(interval, interval)
			.concatMap(tick -> cleanUp().onErrorResume(error -> {
				log.warn("Processed-event clean-up failed: " + error);
				return Mono.empty();
			}))
			.subscribe(deleted -> {
				if (deleted > 0) {
					log.info("Forgot " + deleted + " processed-event ids older than " + retention);
				}
			});
	}

	@Override
	public void stop() {
		Disposable current = loop;
		loop = null;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return loop != null;
	}

}
