package dev.bookmarks.activity.action;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * What the feed shows about people and images, and who follows whom: this service's own copies,
 * kept from events. Each write compares event times, so a repeated, late or replayed event changes
 * nothing that a newer one already set. A batch's writes are one multi-row statement per table,
 * rows in key order (so that two writers lock shared rows in the same order).
 */
@Repository
class Projections {

	private final DatabaseClient db;

	Projections(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * People as of their newest profile (registration or update); a person only mentioned by
	 * another event (liker, owner, follower) is known by username until a profile arrives, and a
	 * mention never overwrites a profile.
	 */
	Mono<Void> people(Map<UUID, Effects.Profile> people) {
		if (people.isEmpty()) {
			return Mono.empty();
		}
		List<Map.Entry<UUID, Effects.Profile>> rows = sorted(people);
		return db.sql("""
				INSERT INTO actor (id, username, photo_url, profile_at)
				SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]::timestamptz[])
				ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, photo_url = EXCLUDED.photo_url,
				    profile_at = EXCLUDED.profile_at
				WHERE EXCLUDED.profile_at IS NOT NULL
				  AND (actor.profile_at IS NULL OR actor.profile_at < EXCLUDED.profile_at)""")
			.bind(0, column(rows, Map.Entry::getKey, UUID[]::new))
			.bind(1, column(rows, row -> row.getValue().username(), String[]::new))
			.bind(2, column(rows, row -> row.getValue().photoUrl(), String[]::new))
			.bind(3, column(rows, row -> text(row.getValue().at()), String[]::new))
			.then();
	}

	/**
	 * Images: the title as of the newest version (an older one is ignored) and the thumbnail, which
	 * never changes once known; rows for images only referred to (a like); tombstones for deleted
	 * ones. Then every action and occurrence that targets a deleted image goes. Emits whether each
	 * image given a version is alive (not deleted) now, which spares {@link #alive} a round trip for
	 * them.
	 */
	Mono<Map<UUID, Boolean>> images(Effects effects) {
		Mono<Void> deleted = Mono.empty();
		if (!effects.imagesDeleted.isEmpty()) {
			List<Map.Entry<UUID, Instant>> rows = sorted(effects.imagesDeleted);
			UUID[] ids = column(rows, Map.Entry::getKey, UUID[]::new);
			deleted = db.sql("""
					INSERT INTO image (id, deleted_at) SELECT * FROM unnest($1::uuid[], $2::text[]::timestamptz[])
					ON CONFLICT (id) DO UPDATE SET deleted_at = coalesce(image.deleted_at, EXCLUDED.deleted_at)""")
				.bind(0, ids)
				.bind(1, column(rows, row -> text(row.getValue()), String[]::new))
				.then()
				.then(db.sql("DELETE FROM action WHERE target_type = 'image' AND target_id = ANY($1::uuid[])")
					.bind(0, ids)
					.then())
				.then(db.sql("""
						DELETE FROM action_occurrence WHERE target_id = ANY($1::uuid[])
						AND verb IN ('bookmarked', 'liked')""").bind(0, ids).then());
		}
		Mono<Map<UUID, Boolean>> versions = Mono.just(Map.of());
		if (!effects.images.isEmpty()) {
			List<Map.Entry<UUID, Effects.Image>> rows = sorted(effects.images);
			versions = db.sql("""
					INSERT INTO image (id, title, thumbnail_url, version_at)
					SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]::timestamptz[])
					ON CONFLICT (id) DO UPDATE SET
					    title = CASE WHEN image.version_at IS NULL OR image.version_at < EXCLUDED.version_at
					                 THEN EXCLUDED.title ELSE image.title END,
					    version_at = greatest(image.version_at, EXCLUDED.version_at),
					    thumbnail_url = coalesce(image.thumbnail_url, EXCLUDED.thumbnail_url)
					RETURNING id, deleted_at IS NULL""")
				.bind(0, column(rows, Map.Entry::getKey, UUID[]::new))
				.bind(1, column(rows, row -> row.getValue().title(), String[]::new))
				.bind(2, column(rows, row -> row.getValue().thumbnailUrl(), String[]::new))
				.bind(3, column(rows, row -> text(row.getValue().at()), String[]::new))
				.map(row -> Map.entry(row.get(0, UUID.class), Boolean.TRUE.equals(row.get(1, Boolean.class))))
				.all()
				.collectMap(Map.Entry::getKey, Map.Entry::getValue);
		}
		Mono<Void> mentioned = Mono.empty();
		if (!effects.imagesMentioned.isEmpty()) {
			mentioned = db.sql("INSERT INTO image (id) SELECT * FROM unnest($1::uuid[]) ON CONFLICT DO NOTHING")
				.bind(0, effects.imagesMentioned.stream().sorted().toArray(UUID[]::new))
				.then();
		}
		Mono<Void> referred = mentioned;
		return deleted.then(versions).flatMap(written -> referred.thenReturn(written));
	}

	/**
	 * Of these images, those that exist and are not deleted; {@code known} tells it for the images
	 * this transaction just wrote ({@link #images}), the rest are read.
	 */
	Mono<Set<UUID>> alive(Set<UUID> ids, Map<UUID, Boolean> known) {
		Set<UUID> alive = new java.util.HashSet<>();
		List<UUID> unknown = new ArrayList<>();
		for (UUID id : ids) {
			Boolean state = known.get(id);
			if (state == null) {
				unknown.add(id);
			}
			else if (state) {
				alive.add(id);
			}
		}
		if (unknown.isEmpty()) {
			return Mono.just(alive);
		}
		return db.sql("SELECT id FROM image WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL")
			.bind(0, unknown.toArray(UUID[]::new))
			.map(row -> row.get(0, UUID.class))
			.all()
			.collect(() -> alive, Set::add);
	}

	/**
	 * Follows and unfollows, each applied only over an older state; at equal times the unfollow
	 * wins, so the outcome does not depend on which of the two arrived first.
	 *
	 * <p>A follower who now follows someone and has a timeline (feed_reader) is set back to "being
	 * built" with a claim anyone may take at once: the timeline lacks the new followee's past
	 * actions, so reads fall back to fan-out on read until it is rebuilt. A builder of the old
	 * claim finds its claim gone and changes nothing. Unfollows need no write: reads check the edge.
	 */
	Mono<Void> edges(Map<Effects.Edge, Effects.Change> edges) {
		if (edges.isEmpty()) {
			return Mono.empty();
		}
		List<Map.Entry<Effects.Edge, Effects.Change>> rows = new ArrayList<>(edges.entrySet());
		rows.sort(Comparator.comparing((Map.Entry<Effects.Edge, Effects.Change> row) -> row.getKey().followerId())
			.thenComparing(row -> row.getKey().followeeId()));
		return db.sql("""
				WITH changed AS (
				    INSERT INTO follow_edge (follower_id, followee_id, following, changed_at)
				    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bool[], $4::text[]::timestamptz[])
				    ON CONFLICT (follower_id, followee_id) DO UPDATE
				    SET following = EXCLUDED.following, changed_at = EXCLUDED.changed_at
				    WHERE follow_edge.changed_at < EXCLUDED.changed_at
				       OR (follow_edge.changed_at = EXCLUDED.changed_at AND NOT EXCLUDED.following)
				    RETURNING follower_id, following)
				UPDATE feed_reader SET ready_at = NULL, horizon = NULL, claimed_at = '-infinity'
				WHERE reader_id IN (SELECT follower_id FROM changed WHERE following)""")
			.bind(0, column(rows, row -> row.getKey().followerId(), UUID[]::new))
			.bind(1, column(rows, row -> row.getKey().followeeId(), UUID[]::new))
			.bind(2, column(rows, row -> row.getValue().following(), Boolean[]::new))
			.bind(3, column(rows, row -> text(row.getValue().at()), String[]::new))
			.then();
	}

	/** Timestamps travel as text (ISO-8601 with offset), which PostgreSQL reads exactly. */
	static String text(Instant at) {
		return at == null ? null : ActionLog.time(at).toString();
	}

	static <T, C> C[] column(List<T> rows, Function<T, C> value, java.util.function.IntFunction<C[]> array) {
		return rows.stream().map(value).toArray(array);
	}

	private static <K extends Comparable<K>, V> List<Map.Entry<K, V>> sorted(Map<K, V> map) {
		List<Map.Entry<K, V>> rows = new ArrayList<>(map.entrySet());
		rows.sort(Map.Entry.comparingByKey());
		return rows;
	}

}
