package dev.bookmarks.activity.feed;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bookmarks.platform.PeriodicTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Per-reader timelines in PostgreSQL (feed_reader, feed_entry): a candidate list of a recently
 * active reader's feed, filled on write by the action writer (ActionLog) for readers that have a
 * row, so that a feed page is one short index range instead of a fan-out-on-read merge over every
 * followee. The fan-out-on-read statement stays the source of truth: reads validate each entry and
 * fall back to it whenever the timeline cannot answer (docs/feed.md, "Reading the feed").
 *
 * <p>Activation, asynchronous and bounded (a few builds at once per instance, one per reader):
 * <ol>
 * <li>claim the reader (committed): from then on every statement that writes actions fans out to
 * them;</li>
 * <li>wait until every transaction that had an id when the claim committed has ended: a writer
 * that could have written actions without seeing the claim. A fresh transaction id is taken after
 * the claim commits and the oldest running transaction must pass it; action writers always hold
 * an id before they write actions (their processed_event insert comes first);</li>
 * <li>in one statement, whose snapshot sees all of those writers: insert the newest {@code cap}
 * actions of the fan-out-on-read statement and mark the reader ready with the horizon below which
 * entries may be missing, only if the claim is still the same (a follow meanwhile resets it).</li>
 * </ol>
 *
 * <p>Upkeep (every few minutes, any number of instances): ready timelines are trimmed to their
 * newest {@code cap} entries and their horizon raised; those waiting for a rebuild are emptied;
 * readers idle for {@code idle-expiry} are dropped. Rows being written elsewhere are skipped until
 * the next pass, so it never waits.
 */
@Component
class FeedTimelines extends PeriodicTask {

	/** Builds running at once per instance; more are refused (the next read asks again). */
	static final int BUILDERS = 2;

	/** A claim older than this, never made ready, is taken again (its builder died or gave up). */
	static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(1);

	/**
	 * A build takes at most this many (five pages of 20), fewer when the cap is smaller: its cost is
	 * one index range of this length per followee, and the horizon keeps a timeline of any size
	 * correct (older pages fall back); fan-out on write then grows it up to the cap.
	 */
	static final int BUILD_SIZE = 100;

	/** How often and how long a build waits for the writers that did not see its claim. */
	private static final Duration POLL = Duration.ofMillis(20);

	private static final int POLLS = 500;

	/** Readers per upkeep statement. */
	private static final int BATCH = 500;

	private static final UUID NIL = new UUID(0, 0);

	private static final Log log = LogFactory.getLog(FeedTimelines.class);

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final FeedProperties properties;

	private final Set<UUID> building = ConcurrentHashMap.newKeySet();

	private final AtomicInteger builds = new AtomicInteger();

	FeedTimelines(DatabaseClient db, ReactiveTransactionManager transactions, FeedProperties properties) {
		super(properties.timelines().upkeepInterval());
		this.db = db;
		this.tx = TransactionalOperator.create(transactions);
		this.properties = properties;
	}

	boolean enabled() {
		return properties.timelines().enabled();
	}

	/**
	 * Builds the reader's timeline in the background, unless it is being built here already or
	 * {@link #BUILDERS} builds run; then nothing happens (the reader's next read asks again).
	 */
	void activate(UUID reader) {
		if (!enabled() || !building.add(reader)) {
			return;
		}
		if (builds.incrementAndGet() > BUILDERS) {
			builds.decrementAndGet();
			building.remove(reader);
			return;
		}
		build(reader).doFinally(signal -> {
			building.remove(reader);
			builds.decrementAndGet();
		}).subscribe(built -> {
		}, error -> log.warn("Timeline of " + reader + " not built: " + error));
	}

	/** Claims, waits for the writers that did not see the claim, fills; emits whether the reader is now ready. */
	Mono<Boolean> build(UUID reader) {
		return claim(reader).flatMap(claimedAt -> quiesce().then(fill(reader, claimedAt)));
	}

	/**
	 * The claim, committed, or nothing when another builder holds a live claim, the timeline is
	 * ready, or the reader follows nobody or more than the dense threshold (their feed is not a
	 * merge of a few followees; they stay on the fan-out-on-read statement).
	 */
	private Mono<OffsetDateTime> claim(UUID reader) {
		int threshold = properties.denseFollowingThreshold();
		return db.sql("""
				INSERT INTO feed_reader (reader_id, claimed_at, last_read_at)
				SELECT $1, clock_timestamp(), now()
				WHERE (SELECT count(*) FROM (SELECT 1 FROM follow_edge f WHERE f.follower_id = $1 AND f.following
				                             AND f.followee_id <> $1 LIMIT $2) e) BETWEEN 1 AND $3
				ON CONFLICT (reader_id) DO UPDATE SET claimed_at = EXCLUDED.claimed_at, last_read_at = EXCLUDED.last_read_at
				WHERE feed_reader.ready_at IS NULL
				  AND feed_reader.claimed_at < EXCLUDED.claimed_at - $4 * interval '1 millisecond'
				RETURNING claimed_at""")
			.bind(0, reader)
			.bind(1, threshold + 1)
			.bind(2, threshold)
			.bind(3, CLAIM_TIMEOUT.toMillis())
			.map(row -> row.get(0, OffsetDateTime.class))
			.one();
	}

	/**
	 * Completes once every transaction that held an id when this was called has ended. A fresh
	 * transaction id is above every id handed out before (pg_snapshot_xmax is not: it is the
	 * newest completed id + 1, so a writer that took its id just before the claim committed could
	 * be above it and still running).
	 */
	private Mono<Void> quiesce() {
		return db.sql("SELECT pg_current_xact_id()::text::bigint")
			.map(row -> row.get(0, Long.class))
			.one()
			.flatMap(mark -> db.sql("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint > $1")
				.bind(0, mark)
				.map(row -> row.get(0, Boolean.class))
				.one()
				.filter(Boolean::booleanValue)
				.repeatWhenEmpty(POLLS, ticks -> ticks.delayElements(POLL)))
			.then();
	}

	/**
	 * The newest {@code min(cap, BUILD_SIZE)} actions of the reader's feed (the FOLLOWEES shape of
	 * FeedQueries.feedSql) as entries, and the reader ready, in one statement and only while the
	 * claim holds and is younger than {@link #CLAIM_TIMEOUT} (after that, upkeep may have dropped
	 * entries that writers added since the claim); the horizon is the oldest entry's time when there
	 * were that many.
	 */
	private Mono<Boolean> fill(UUID reader, OffsetDateTime claimedAt) {
		return db.sql("""
				WITH top AS MATERIALIZED (
				    SELECT a.id, a.created_at FROM follow_edge f CROSS JOIN LATERAL (
				        SELECT id, created_at FROM action WHERE actor_id = f.followee_id
				        ORDER BY created_at DESC, id DESC LIMIT $2) a
				    WHERE f.follower_id = $1 AND f.following AND f.followee_id <> $1
				    ORDER BY a.created_at DESC, a.id DESC LIMIT $2),
				ready AS (
				    UPDATE feed_reader SET ready_at = now(),
				        horizon = CASE WHEN (SELECT count(*) FROM top) >= $2 THEN (SELECT min(created_at) FROM top) END
				    WHERE reader_id = $1 AND claimed_at = $3 AND ready_at IS NULL
				      AND claimed_at > clock_timestamp() - $4 * interval '1 millisecond' RETURNING reader_id),
				entries AS (
				    INSERT INTO feed_entry (reader_id, created_at, action_id)
				    SELECT $1, created_at, id FROM top WHERE EXISTS (SELECT 1 FROM ready)
				    ON CONFLICT DO NOTHING)
				SELECT count(*) FROM ready""")
			.bind(0, reader)
			.bind(1, Math.min(properties.timelines().cap(), BUILD_SIZE))
			.bind(2, claimedAt)
			.bind(3, CLAIM_TIMEOUT.toMillis())
			.map(row -> row.get(0, Long.class) > 0)
			.one();
	}

	@Override
	protected Mono<?> runOnce() {
		return upkeep();
	}

	/**
	 * One pass of upkeep: trims every ready timeline, empties those that wait for a rebuild, then
	 * drops idle readers.
	 */
	Mono<Void> upkeep() {
		return trim(NIL).expand(this::trim)
			.then(empty(NIL).expand(this::empty).then())
			.then(expire().expand(dropped -> dropped < BATCH ? Mono.empty() : expire()).then());
	}

	/**
	 * Of the next ready readers after this id (those not locked by a writer), deletes the entries
	 * older than the newest {@code cap} and raises the horizon to the newest one deleted. Emits the
	 * last reader of the batch, nothing after the last batch.
	 */
	private Mono<UUID> trim(UUID after) {
		return db.sql("""
				WITH batch AS (
				    SELECT reader_id FROM feed_reader WHERE ready_at IS NOT NULL AND reader_id > $1
				    ORDER BY reader_id LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED),
				cut AS (
				    SELECT b.reader_id, c.created_at, c.action_id FROM batch b CROSS JOIN LATERAL (
				        SELECT created_at, action_id FROM feed_entry e WHERE e.reader_id = b.reader_id
				        ORDER BY created_at DESC, action_id DESC OFFSET $3 LIMIT 1) c),
				trimmed AS (
				    DELETE FROM feed_entry e USING cut
				    WHERE e.reader_id = cut.reader_id AND (e.created_at, e.action_id) <= (cut.created_at, cut.action_id)),
				raised AS (
				    UPDATE feed_reader r SET horizon = greatest(r.horizon, cut.created_at)
				    FROM cut WHERE r.reader_id = cut.reader_id)
				SELECT reader_id FROM batch ORDER BY reader_id DESC LIMIT 1""")
			.bind(0, after)
			.bind(1, BATCH)
			.bind(2, properties.timelines().cap())
			.map(row -> row.get(0, UUID.class))
			.one();
	}

	/**
	 * Of the next readers after this id that are not ready and whose claim is stale (a follow reset
	 * it, or its builder gave up), deletes the entries: writers go on adding entries for them (a
	 * reader who follows more than the dense threshold is never rebuilt), and the next build inserts
	 * what it needs. A builder still holding such a claim can no longer make the reader ready.
	 * Emits the last reader of the batch, nothing after the last batch.
	 */
	private Mono<UUID> empty(UUID after) {
		return db.sql("""
				WITH batch AS (
				    SELECT reader_id FROM feed_reader
				    WHERE ready_at IS NULL AND claimed_at < now() - $2 * interval '1 millisecond' AND reader_id > $1
				    ORDER BY reader_id LIMIT $3 FOR NO KEY UPDATE SKIP LOCKED),
				emptied AS (DELETE FROM feed_entry e USING batch b WHERE e.reader_id = b.reader_id)
				SELECT reader_id FROM batch ORDER BY reader_id DESC LIMIT 1""")
			.bind(0, after)
			.bind(1, CLAIM_TIMEOUT.toMillis())
			.bind(2, BATCH)
			.map(row -> row.get(0, UUID.class))
			.one();
	}

	/**
	 * Drops a batch of readers idle for {@code idle-expiry}, with their entries; emits how many.
	 * The entries go in a second statement, whose snapshot sees entries that a writer added while
	 * the first one waited.
	 */
	private Mono<Integer> expire() {
		return db.sql("""
				DELETE FROM feed_reader WHERE reader_id IN (
				    SELECT reader_id FROM feed_reader WHERE last_read_at < now() - $1 * interval '1 millisecond'
				    ORDER BY last_read_at LIMIT $2 FOR UPDATE SKIP LOCKED)
				RETURNING reader_id""")
			.bind(0, properties.timelines().idleExpiry().toMillis())
			.bind(1, BATCH)
			.map(row -> row.get(0, UUID.class))
			.all()
			.collectList()
			.flatMap(readers -> readers.isEmpty() ? Mono.just(0)
					: db.sql("DELETE FROM feed_entry WHERE reader_id = ANY($1::uuid[])")
						.bind(0, readers.toArray(UUID[]::new))
						.then()
						.thenReturn(readers.size()))
			.as(tx::transactional);
	}

}
