package dev.bookmarks.activity.action;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bookmarks.platform.outbox.EventIds;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The original's rule, "the same actor, verb and target within 60 seconds is one action", decided
 * from event times only. Each reported occurrence is kept; the actions of a key are then derived
 * from all of its occurrences in time order: the first starts an action, the next ones less than
 * 60 seconds after that start belong to it, the first one at 60 seconds or later starts the next.
 * That is what the original computes when events come in order, and it gives the same actions
 * whatever the order of arrival (a replay, a late partition, two instances during a rebalance).
 * The (actor, verb, target, start) unique index makes a second writer of one action a conflict.
 *
 * <p>A key has few occurrences: an image is bookmarked and a person registers once, and a like or
 * follow can only come again after an unlike or unfollow, which prunes the older ones. So deriving
 * a key again on every event is a handful of rows.
 */
@Repository
public class ActionLog {

	static final Duration SAME_ACTION = Duration.ofSeconds(60);

	private static final String KEY = "actor_id = $1 AND verb = $2 AND target_id = $3";

	private final DatabaseClient db;

	ActionLog(DatabaseClient db) {
		this.db = db;
	}

	/** PostgreSQL keeps microseconds; so does every comparison here, whatever precision the event had. */
	static OffsetDateTime time(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
	}

	/**
	 * The key happened at this time; returns the actions this created (none for a repeat within
	 * 60 s). The usual case, an occurrence later than every other of its key, is decided in one
	 * statement: it starts an action unless one started less than 60 s before it. An occurrence
	 * that arrives out of order derives the key's actions again.
	 */
	Mono<List<NewAction>> occurred(ActionKey key, Instant at) {
		return lock(key).then(bindKey(db.sql("""
				WITH added AS (
				    INSERT INTO action_occurrence (actor_id, verb, target_id, occurred_at) VALUES ($1, $2, $3, $4)
				    ON CONFLICT DO NOTHING RETURNING 1)
				SELECT EXISTS (SELECT 1 FROM added) AS added,
				       EXISTS (SELECT 1 FROM action_occurrence WHERE actor_id = $1 AND verb = $2 AND target_id = $3
				               AND occurred_at > $4) AS later,
				       EXISTS (SELECT 1 FROM action_removal WHERE actor_id = $1 AND verb = $2 AND target_id = $3
				               AND removed_until >= $4) AS removed,
				       EXISTS (SELECT 1 FROM action WHERE actor_id = $1 AND verb = $2 AND target_id = $3
				               AND created_at > $4 - interval '60 seconds' AND created_at <= $4) AS covered"""), key)
			.bind(3, time(at))
			.map(row -> row.get("added", Boolean.class) ? row.get("later", Boolean.class) ? Outcome.OUT_OF_ORDER
					: row.get("removed", Boolean.class) || row.get("covered", Boolean.class) ? Outcome.NOTHING
							: Outcome.STARTS
					: Outcome.NOTHING)
			.one()
			.flatMap(outcome -> switch (outcome) {
				case NOTHING -> Mono.just(List.<NewAction>of());
				case STARTS -> insert(key, at.truncatedTo(ChronoUnit.MICROS)).map(List::of).defaultIfEmpty(List.of());
				case OUT_OF_ORDER -> derive(key);
			}));
	}

	private enum Outcome {

		/** Seen before, undone, or inside an action's 60 seconds. */
		NOTHING,
		/** The newest occurrence, 60 seconds or more after the last start. */
		STARTS,
		/** Older than another occurrence of its key: the starts after it may change. */
		OUT_OF_ORDER

	}

	/** The key was undone at this time (unlike, unfollow): its actions up to then are gone, now and on replay. */
	Mono<List<NewAction>> removedUntil(ActionKey key, Instant until) {
		return lock(key)
			.then(bindKey(db.sql("""
					INSERT INTO action_removal (actor_id, verb, target_id, removed_until) VALUES ($1, $2, $3, $4)
					ON CONFLICT (actor_id, verb, target_id)
					DO UPDATE SET removed_until = greatest(action_removal.removed_until, EXCLUDED.removed_until)"""), key)
				.bind(3, time(until))
				.fetch()
				.rowsUpdated())
			.then(bindKey(db.sql("DELETE FROM action_occurrence o WHERE " + KEY
					+ " AND occurred_at <= (SELECT removed_until FROM action_removal r WHERE r.actor_id = $1"
					+ " AND r.verb = $2 AND r.target_id = $3)"), key)
				.fetch()
				.rowsUpdated())
			.then(derive(key));
	}

	/** An image is gone: every action and occurrence that targets it. */
	Mono<Void> forgetTarget(UUID imageId) {
		return db.sql("DELETE FROM action WHERE target_type = 'image' AND target_id = $1")
			.bind(0, imageId)
			.fetch()
			.rowsUpdated()
			.then(db.sql("DELETE FROM action_occurrence WHERE target_id = $1 AND verb IN ('bookmarked', 'liked')")
				.bind(0, imageId)
				.fetch()
				.rowsUpdated())
			.then();
	}

	/** Writers of one key take turns (two instances during a rebalance, a DLT replay beside the live stream). */
	private Mono<Void> lock(ActionKey key) {
		return db.sql("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
			.bind(0, key.lockName())
			.fetch()
			.rowsUpdated()
			.then();
	}

	private Mono<List<NewAction>> derive(ActionKey key) {
		Mono<List<Instant>> occurrences = bindKey(db.sql("""
				SELECT occurred_at FROM action_occurrence o
				WHERE o.actor_id = $1 AND o.verb = $2 AND o.target_id = $3
				  AND NOT EXISTS (SELECT 1 FROM action_removal r WHERE r.actor_id = $1 AND r.verb = $2
				                  AND r.target_id = $3 AND r.removed_until >= o.occurred_at)
				ORDER BY occurred_at"""), key)
			.map(row -> row.get(0, OffsetDateTime.class).toInstant())
			.all()
			.collectList();
		Mono<Map<Instant, UUID>> existing = bindKey(db.sql("SELECT id, created_at FROM action WHERE " + KEY), key)
			.map(row -> Map.entry(row.get("created_at", OffsetDateTime.class).toInstant(), row.get("id", UUID.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
		return occurrences.zipWith(existing).flatMap(both -> {
			List<Instant> starts = starts(both.getT1());
			Map<Instant, UUID> stale = both.getT2();
			List<Instant> missing = new ArrayList<>();
			for (Instant start : starts) {
				if (stale.remove(start) == null) {
					missing.add(start);
				}
			}
			Mono<Void> deletions = Flux.fromIterable(stale.values())
				.concatMap(id -> db.sql("DELETE FROM action WHERE id = $1").bind(0, id).fetch().rowsUpdated())
				.then();
			return deletions.thenMany(Flux.fromIterable(missing).concatMap(start -> insert(key, start)))
				.collectList();
		});
	}

	/** The start of each action: the first occurrence, then the first one at least 60 seconds after the last start. */
	static List<Instant> starts(List<Instant> sortedOccurrences) {
		List<Instant> starts = new ArrayList<>();
		Instant current = null;
		for (Instant at : sortedOccurrences) {
			if (current == null || !at.isBefore(current.plus(SAME_ACTION))) {
				starts.add(at);
				current = at;
			}
		}
		return starts;
	}

	private Mono<NewAction> insert(ActionKey key, Instant start) {
		// Time-ordered and never blocking (this runs on a database event loop); ids need not be secret.
		UUID id = EventIds.next();
		return db.sql("""
				INSERT INTO action (id, actor_id, verb, target_type, target_id, created_at)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING tx""")
			.bind(0, id)
			.bind(1, key.actorId())
			.bind(2, key.verb().json())
			.bind(3, org.springframework.r2dbc.core.Parameter.fromOrEmpty(key.verb().targetType(), String.class))
			.bind(4, key.targetId())
			.bind(5, time(start))
			.map(row -> new NewAction(id, key.actorId(), row.get(0, Long.class)))
			.one();
	}

	private static DatabaseClient.GenericExecuteSpec bindKey(DatabaseClient.GenericExecuteSpec spec, ActionKey key) {
		return spec.bind(0, key.actorId()).bind(1, key.verb().json()).bind(2, key.targetId());
	}

}
