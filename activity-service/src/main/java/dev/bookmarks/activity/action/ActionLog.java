package dev.bookmarks.activity.action;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.bookmarks.platform.outbox.EventIds;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import static dev.bookmarks.activity.action.Projections.column;
import static dev.bookmarks.activity.action.Projections.text;

/**
 * The original's rule, "the same actor, verb and target within 60 seconds is one action", decided
 * from event times only. Each reported occurrence is kept; the actions of a key are then derived
 * from all of its occurrences in time order: the first starts an action, the next ones less than
 * 60 seconds after that start belong to it, the first one at 60 seconds or later starts the next.
 * That is what the original computes when events come in order, and it gives the same actions
 * whatever the order of arrival (a replay, a late partition, two instances during a rebalance).
 * The (actor, verb, target, start) unique index makes a second writer of one action a conflict.
 *
 * <p>Set-based: a batch of events is a handful of statements whatever its size. Its keys are
 * locked (in one order, so two writers cannot deadlock), its removals and occurrences written,
 * and the keys that changed derived again together: one read of their occurrences and actions,
 * one delete and one insert of the difference.
 *
 * <p>A key has few occurrences: an image is bookmarked and a person registers once, and a like or
 * follow can only come again after an unlike or unfollow, which prunes the older ones. So deriving
 * a key again is a handful of rows.
 */
@Repository
public class ActionLog {

	static final Duration SAME_ACTION = Duration.ofSeconds(60);

	/** The key columns from three parallel arrays. */
	private static final String KEYS = "unnest($1::uuid[], $2::text[], $3::uuid[]) AS k(actor_id, verb, target_id)";

	private final DatabaseClient db;

	ActionLog(DatabaseClient db) {
		this.db = db;
	}

	/** PostgreSQL keeps microseconds; so does every comparison here, whatever precision the event had. */
	static OffsetDateTime time(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
	}

	/**
	 * Writers of the same keys take turns (two instances during a rebalance, a dead-letter replay
	 * beside the live stream). Locks are taken in the order of their numbers, the same for every
	 * writer, so that two batches sharing keys wait for each other instead of deadlocking.
	 */
	Mono<Void> lock(Collection<ActionKey> keys) {
		if (keys.isEmpty()) {
			return Mono.empty();
		}
		return db.sql("""
				SELECT count(pg_advisory_xact_lock(h)) FROM (
				    SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h OFFSET 0) s""")
			.bind(0, keys.stream().map(ActionKey::lockName).toArray(String[]::new))
			.fetch()
			.rowsUpdated()
			.then();
	}

	/**
	 * The keys were undone at these times (unlike, unfollow): their occurrences up to then no
	 * longer count, now and on replay. Emits the keys, to be derived again.
	 */
	Mono<Set<ActionKey>> removedUntil(Map<ActionKey, Instant> removals) {
		if (removals.isEmpty()) {
			return Mono.just(Set.of());
		}
		List<ActionKey> keys = new ArrayList<>(removals.keySet());
		String[] until = keys.stream().map(key -> text(removals.get(key))).toArray(String[]::new);
		return bindKeys(db.sql("""
				INSERT INTO action_removal (actor_id, verb, target_id, removed_until)
				SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]::timestamptz[])
				ON CONFLICT (actor_id, verb, target_id)
				DO UPDATE SET removed_until = greatest(action_removal.removed_until, EXCLUDED.removed_until)"""), keys)
			.bind(3, until)
			.then()
			.then(bindKeys(db.sql("DELETE FROM action_occurrence o USING " + KEYS + """
					 , action_removal r
					WHERE o.actor_id = k.actor_id AND o.verb = k.verb AND o.target_id = k.target_id
					  AND r.actor_id = k.actor_id AND r.verb = k.verb AND r.target_id = k.target_id
					  AND o.occurred_at <= r.removed_until"""), keys).then())
			.thenReturn(new LinkedHashSet<>(keys));
	}

	/**
	 * These occurrences were reported; emits the keys that gained one (a redelivered or repeated
	 * occurrence adds nothing), to be derived again.
	 */
	Mono<Set<ActionKey>> occurred(List<Effects.Occurrence> occurrences) {
		if (occurrences.isEmpty()) {
			return Mono.just(Set.of());
		}
		List<ActionKey> keys = occurrences.stream().map(Effects.Occurrence::key).toList();
		return bindKeys(db.sql("""
				INSERT INTO action_occurrence (actor_id, verb, target_id, occurred_at)
				SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]::timestamptz[])
				ON CONFLICT DO NOTHING RETURNING actor_id, verb, target_id"""), keys)
			.bind(3, column(occurrences, occurrence -> text(occurrence.at()), String[]::new))
			.map(row -> key(row.get(0, UUID.class), row.get(1, String.class), row.get(2, UUID.class)))
			.all()
			.collect(LinkedHashSet<ActionKey>::new, Set::add)
			.map(added -> (Set<ActionKey>) added);
	}

	/**
	 * Derives the actions of these keys again from their occurrences and applies the difference:
	 * starts that no longer hold are deleted, missing ones inserted. Emits the actions inserted.
	 */
	Mono<List<NewAction>> derive(Set<ActionKey> changed) {
		if (changed.isEmpty()) {
			return Mono.just(List.of());
		}
		return Mono.defer(() -> deriveKeys(new ArrayList<>(changed)));
	}

	private Mono<List<NewAction>> deriveKeys(List<ActionKey> keys) {
		// One round trip for both: the keys' occurrences that count (no action id) and their actions.
		Map<ActionKey, TreeSet<Instant>> byKey = new HashMap<>();
		Map<ActionKey, Map<Instant, UUID>> actions = new HashMap<>();
		Mono<Void> read = bindKeys(db.sql("SELECT o.actor_id, o.verb, o.target_id, o.occurred_at, NULL::uuid AS id FROM "
				+ KEYS + " JOIN action_occurrence o"
				+ " ON o.actor_id = k.actor_id AND o.verb = k.verb AND o.target_id = k.target_id"
				+ " WHERE NOT EXISTS (SELECT 1 FROM action_removal r WHERE r.actor_id = o.actor_id AND r.verb = o.verb"
				+ " AND r.target_id = o.target_id AND r.removed_until >= o.occurred_at)"
				+ " UNION ALL SELECT a.actor_id, a.verb, a.target_id, a.created_at, a.id FROM " + KEYS
				+ " JOIN action a ON a.actor_id = k.actor_id AND a.verb = k.verb AND a.target_id = k.target_id"), keys)
			.map(row -> {
				ActionKey key = key(row.get(0, UUID.class), row.get(1, String.class), row.get(2, UUID.class));
				Instant at = row.get(3, OffsetDateTime.class).toInstant();
				UUID action = row.get(4, UUID.class);
				if (action == null) {
					byKey.computeIfAbsent(key, k -> new TreeSet<>()).add(at);
				}
				else {
					actions.computeIfAbsent(key, k -> new HashMap<>()).put(at, action);
				}
				return key;
			})
			.all()
			.then();
		return read.then(Mono.defer(() -> {
			List<UUID> stale = new ArrayList<>();
			List<ActionKey> missingKeys = new ArrayList<>();
			List<Instant> missingStarts = new ArrayList<>();
			for (ActionKey key : keys) {
				Map<Instant, UUID> current = new HashMap<>(actions.getOrDefault(key, Map.of()));
				for (Instant start : starts(new ArrayList<>(byKey.getOrDefault(key, new TreeSet<>())))) {
					if (current.remove(start) == null) {
						missingKeys.add(key);
						missingStarts.add(start);
					}
				}
				stale.addAll(current.values());
			}
			return delete(stale).then(insert(missingKeys, missingStarts));
		}));
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

	private Mono<Void> delete(List<UUID> ids) {
		if (ids.isEmpty()) {
			return Mono.empty();
		}
		return db.sql("DELETE FROM action WHERE id = ANY($1::uuid[])").bind(0, ids.toArray(UUID[]::new)).then();
	}

	private Mono<List<NewAction>> insert(List<ActionKey> keys, List<Instant> starts) {
		if (keys.isEmpty()) {
			return Mono.just(List.of());
		}
		// Time-ordered and never blocking (this runs on a database event loop); ids need not be secret.
		UUID[] ids = keys.stream().map(key -> EventIds.next()).toArray(UUID[]::new);
		// One round trip: the actions, and an entry in the timeline of each follower of their actor
		// who has one (feed_reader; docs/feed.md, "Reading the feed"). The edges written earlier in
		// this transaction are seen, so a follow in the same batch counts.
		return db.sql("""
				WITH inserted AS (
				    INSERT INTO action (id, actor_id, verb, target_type, target_id, created_at)
				    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[],
				                         $6::text[]::timestamptz[])
				    ON CONFLICT DO NOTHING RETURNING id, actor_id, created_at, tx),
				fanned AS (
				    INSERT INTO feed_entry (reader_id, created_at, action_id)
				    SELECT r.reader_id, i.created_at, i.id FROM inserted i
				    JOIN follow_edge f ON f.followee_id = i.actor_id AND f.following AND f.follower_id <> i.actor_id
				    JOIN feed_reader r ON r.reader_id = f.follower_id
				    ON CONFLICT DO NOTHING)
				SELECT id, actor_id, tx FROM inserted""")
			.bind(0, ids)
			.bind(1, column(keys, ActionKey::actorId, UUID[]::new))
			.bind(2, column(keys, key -> key.verb().json(), String[]::new))
			.bind(3, column(keys, key -> key.verb().targetType(), String[]::new))
			.bind(4, column(keys, ActionKey::targetId, UUID[]::new))
			.bind(5, column(starts, Projections::text, String[]::new))
			.map(row -> new NewAction(row.get(0, UUID.class), row.get(1, UUID.class), row.get(2, Long.class)))
			.all()
			.collectList();
	}

	private static ActionKey key(UUID actorId, String verb, UUID targetId) {
		return new ActionKey(actorId, Verb.valueOf(verb.toUpperCase(java.util.Locale.ROOT)), targetId);
	}

	private static DatabaseClient.GenericExecuteSpec bindKeys(DatabaseClient.GenericExecuteSpec spec,
			List<ActionKey> keys) {
		return spec.bind(0, column(keys, ActionKey::actorId, UUID[]::new))
			.bind(1, column(keys, key -> key.verb().json(), String[]::new))
			.bind(2, column(keys, ActionKey::targetId, UUID[]::new));
	}

}
