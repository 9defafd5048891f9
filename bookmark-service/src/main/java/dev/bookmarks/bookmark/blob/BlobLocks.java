package dev.bookmarks.bookmark.blob;

import java.util.Collection;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Makes saving and reaping one blob exclusive. Blobs are content-addressed and shared: a save
 * whose picture is already stored skips the write, and the reaper deletes a blob that no image row
 * names. Without a lock the two interleave badly: the save finds the file, the reaper (seeing no
 * row yet) deletes it, the save inserts a row naming a blob that is gone.
 *
 * <p>The lock is a PostgreSQL transaction-scoped advisory lock keyed by the blob key. The save
 * takes it (waiting) before writing the blob and keeps it until its image row commits; the reaper
 * takes it (never waiting: a locked key is left for its next pass) before it checks whether the
 * blob is used and keeps it until the delete is done and committed. Why this design: the database
 * is the one thing every bookmark-service replica shares (an in-process lock would hold in one JVM
 * only, and the blob store has no transactions); an advisory lock needs no row to exist before the
 * first save of a blob (unlike row locks on a reference table), leaves nothing to clean up, and is
 * released by PostgreSQL itself when the transaction ends or the replica dies. The two-integer
 * form keeps blob keys apart from the single-key locks used elsewhere (outbox relay); a hash
 * collision only makes two unrelated blobs wait for each other.
 */
public final class BlobLocks {

	private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('bookmarks.blob'), hashtext($1))";

	private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('bookmarks.blob'), hashtext($1))";

	private BlobLocks() {
	}

	/**
	 * Waits for these blobs' locks, held until the current transaction ends. Always in the same
	 * (sorted) order, so that two saves sharing blobs cannot deadlock.
	 */
	public static Mono<Void> lock(DatabaseClient db, Collection<String> keys) {
		return Flux.fromStream(keys.stream().distinct().sorted())
			.concatMap(key -> db.sql(LOCK).bind(0, key).then())
			.then();
	}

	/** Takes this blob's lock for the current transaction if free, without waiting. */
	static Mono<Boolean> tryLock(DatabaseClient db, String key) {
		return db.sql(TRY_LOCK).bind(0, key).map(row -> Boolean.TRUE.equals(row.get(0, Boolean.class))).one();
	}

}
