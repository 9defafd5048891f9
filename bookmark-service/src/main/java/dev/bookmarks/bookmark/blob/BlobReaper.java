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
 * committed: a blob still named by any image stays, and a blob a save is storing right now is left
 * for the next pass (see BlobLocks). A failed delete is retried later with back-off; it never holds
 * up the request that caused it.
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
		return db.sql("SELECT blob_key FROM blob_deletion WHERE next_attempt_at <= now() ORDER BY requested_at LIMIT 100")
			.map(row -> row.get("blob_key", String.class))
			.all()
			.concatMap(key -> reap(key).as(tx::transactional))
			.reduce(0L, Long::sum);
	}

	/**
	 * One blob in a transaction of its own, so that a save waiting for this blob's lock waits for
	 * this delete only. The row lock keeps other replicas' reapers off the same deletion; the blob
	 * lock (see BlobLocks) keeps saves off the blob between the check and the delete. The check is a
	 * statement of its own after the lock: a statement sees what was committed when it started, and
	 * the save that held the lock may have committed its row just before.
	 */
	private Mono<Long> reap(String key) {
		return db.sql("""
				SELECT attempts FROM blob_deletion WHERE blob_key = $1 AND next_attempt_at <= now()
				FOR UPDATE SKIP LOCKED""")
			.bind(0, key)
			.map(row -> new Due(key, row.get("attempts", Integer.class)))
			.one()
			.flatMap(due -> BlobLocks.tryLock(db, key).flatMap(locked -> !locked ? Mono.just(0L)
					: inUse(key).flatMap(inUse -> (inUse ? Mono.<Void>empty() : blobs.delete(key))
						.then(db.sql("DELETE FROM blob_deletion WHERE blob_key = $1").bind(0, key).then())
						.thenReturn(1L))
				.onErrorResume(error -> retryLater(due, error).thenReturn(0L))))
			.defaultIfEmpty(0L);
	}

	private Mono<Boolean> inUse(String key) {
		return db.sql("""
				SELECT EXISTS (SELECT 1 FROM image WHERE original_key = $1 OR square_key = $1 OR detail_key = $1)""")
			.bind(0, key)
			.map(row -> Boolean.TRUE.equals(row.get(0, Boolean.class)))
			.one();
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

	private record Due(String key, int attempts) {
	}

	@Override
	protected Mono<Long> runOnce() {
		return reapOnce();
	}

}
