package dev.bookmarks.bookmark.blob;

import java.time.Duration;

import dev.bookmarks.platform.PeriodicTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Deletes blobs that deleted images (or failed saves) no longer use, after their transaction has
 * committed: a blob still named by any image stays. A failed delete is retried later with
 * back-off; it never holds up the request that caused it.
 */
public class BlobReaper extends PeriodicTask {

	private static final Log log = LogFactory.getLog(BlobReaper.class);

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final BlobStore blobs;

	public BlobReaper(DatabaseClient db, TransactionalOperator tx, BlobStore blobs, Duration interval) {
		super(interval);
		this.db = db;
		this.tx = tx;
		this.blobs = blobs;
	}

	/** One pass over the due deletions; returns how many were finished. */
	public Mono<Long> reapOnce() {
		return db.sql("""
				SELECT blob_key, attempts,
				    EXISTS (SELECT 1 FROM image i WHERE i.original_key = d.blob_key OR i.square_key = d.blob_key
				        OR i.detail_key = d.blob_key) AS in_use
				FROM blob_deletion d WHERE next_attempt_at <= now()
				ORDER BY requested_at LIMIT 100 FOR UPDATE SKIP LOCKED""")
			.map(row -> new Due(row.get("blob_key", String.class), row.get("attempts", Integer.class),
					Boolean.TRUE.equals(row.get("in_use", Boolean.class))))
			.all()
			.concatMap(due -> (due.inUse() ? Mono.<Void>empty() : blobs.delete(due.key()))
				.then(db.sql("DELETE FROM blob_deletion WHERE blob_key = $1").bind(0, due.key()).then())
				.thenReturn(1L)
				.onErrorResume(error -> retryLater(due, error).thenReturn(0L)))
			.reduce(0L, Long::sum)
			.as(tx::transactional);
	}

	private Mono<Void> retryLater(Due due, Throwable error) {
		log.warn("Deleting blob " + due.key() + " failed (attempt " + (due.attempts() + 1) + "): " + error);
		long seconds = Math.min(3600, 1L << Math.min(due.attempts() + 1, 12));
		return db.sql("""
				UPDATE blob_deletion SET attempts = attempts + 1, last_error = $2,
				    next_attempt_at = now() + CAST($3 AS interval) WHERE blob_key = $1""")
			.bind(0, due.key())
			.bind(1, String.valueOf(error))
			.bind(2, seconds + " seconds")
			.then();
	}

	private record Due(String key, int attempts, boolean inUse) {
	}

	@Override
	protected Mono<Long> runOnce() {
		return reapOnce();
	}

}
