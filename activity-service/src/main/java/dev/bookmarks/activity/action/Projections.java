package dev.bookmarks.activity.action;

import java.time.Instant;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

import static dev.bookmarks.activity.action.ActionLog.time;

/**
 * What the feed shows about people and images, and who follows whom: this service's own copies,
 * kept from events. Each write compares event times, so a repeated, late or replayed event changes
 * nothing that a newer one already set.
 */
@Repository
class Projections {

	private final DatabaseClient db;

	Projections(DatabaseClient db) {
		this.db = db;
	}

	/** A person's public profile as of {@code at} (registration or profile update); an older one is ignored. */
	Mono<Void> profile(UUID id, String username, String photoUrl, Instant at) {
		return db.sql("""
				INSERT INTO actor (id, username, photo_url, profile_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, photo_url = EXCLUDED.photo_url,
				    profile_at = EXCLUDED.profile_at
				WHERE actor.profile_at IS NULL OR actor.profile_at < EXCLUDED.profile_at""")
			.bind(0, id)
			.bind(1, username)
			.bind(2, Parameter.fromOrEmpty(photoUrl, String.class))
			.bind(3, time(at))
			.then();
	}

	/**
	 * Someone another event names (liker, owner, follower): known by username until their
	 * registration or profile arrives. Never overwrites what a profile event set.
	 */
	Mono<Void> mentioned(UUID id, String username) {
		if (username == null || username.isBlank()) {
			return Mono.empty();
		}
		return db.sql("INSERT INTO actor (id, username) VALUES ($1, $2) ON CONFLICT DO NOTHING")
			.bind(0, id)
			.bind(1, username)
			.then();
	}

	/**
	 * The title as of {@code at} (an older one is ignored) and the thumbnail, which never changes
	 * once known. Emits false for a deleted image.
	 */
	Mono<Boolean> image(UUID id, String title, String thumbnailUrl, Instant at) {
		return db.sql("""
				INSERT INTO image (id, title, thumbnail_url, version_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (id) DO UPDATE SET
				    title = CASE WHEN image.version_at IS NULL OR image.version_at < EXCLUDED.version_at
				                 THEN EXCLUDED.title ELSE image.title END,
				    version_at = greatest(image.version_at, EXCLUDED.version_at),
				    thumbnail_url = coalesce(image.thumbnail_url, EXCLUDED.thumbnail_url)
				RETURNING deleted_at IS NULL""")
			.bind(0, id)
			.bind(1, Parameter.fromOrEmpty(title, String.class))
			.bind(2, Parameter.fromOrEmpty(thumbnailUrl, String.class))
			.bind(3, time(at))
			.map(row -> row.get(0, Boolean.class))
			.one();
	}

	/** An image an event refers to (a like); emits false when it was deleted. */
	Mono<Boolean> imageMentioned(UUID id) {
		return db.sql("""
				WITH added AS (INSERT INTO image (id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING true AS alive)
				SELECT coalesce((SELECT alive FROM added), (SELECT deleted_at IS NULL FROM image WHERE id = $1))""")
			.bind(0, id)
			.map(row -> row.get(0, Boolean.class))
			.one();
	}

	Mono<Void> imageDeleted(UUID id, Instant at) {
		return db.sql("""
				INSERT INTO image (id, deleted_at) VALUES ($1, $2)
				ON CONFLICT (id) DO UPDATE SET deleted_at = coalesce(image.deleted_at, EXCLUDED.deleted_at)""")
			.bind(0, id)
			.bind(1, time(at))
			.then();
	}

	/**
	 * A follow or unfollow at {@code at}. Applied only over an older state; at equal times the
	 * unfollow wins, so the outcome does not depend on which of the two arrived first.
	 */
	Mono<Void> edge(UUID followerId, UUID followeeId, boolean following, Instant at) {
		String newer = following ? "follow_edge.changed_at < EXCLUDED.changed_at"
				: "follow_edge.changed_at <= EXCLUDED.changed_at";
		return db.sql("""
				INSERT INTO follow_edge (follower_id, followee_id, following, changed_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (follower_id, followee_id) DO UPDATE
				SET following = EXCLUDED.following, changed_at = EXCLUDED.changed_at""" + " WHERE " + newer)
			.bind(0, followerId)
			.bind(1, followeeId)
			.bind(2, following)
			.bind(3, time(at))
			.then();
	}

}
