package dev.bookmarks.graph.follow;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.graph.directory.DirectoryUser;
import dev.bookmarks.graph.directory.UserDirectory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/** The follow table. Both lists walk an index newest first (see V3). */
@Repository
class FollowEdges {

	private final DatabaseClient db;

	FollowEdges(DatabaseClient db) {
		this.db = db;
	}

	/** Adds the edge; {@code true} if it is new, {@code false} if it existed already. */
	Mono<Boolean> add(UUID followerId, UUID followeeId, Instant at) {
		return db.sql("""
				INSERT INTO follow (follower_id, followee_id, followed_at) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING""")
			.bind(0, followerId)
			.bind(1, followeeId)
			.bind(2, at.atOffset(ZoneOffset.UTC))
			.fetch()
			.rowsUpdated()
			.map(inserted -> inserted == 1);
	}

	/** Removes the edge; {@code true} if there was one. */
	Mono<Boolean> remove(UUID followerId, UUID followeeId) {
		return db.sql("DELETE FROM follow WHERE follower_id = $1 AND followee_id = $2")
			.bind(0, followerId)
			.bind(1, followeeId)
			.fetch()
			.rowsUpdated()
			.map(deleted -> deleted == 1);
	}

	/** Listed people who follow {@code userId}, newest follow first, after the position; one extra row. */
	Mono<List<Entry>> followers(UUID userId, FollowPosition after, int limit) {
		return page("follower_id", "followee_id", userId, after, limit);
	}

	/** Listed people whom {@code userId} follows, newest follow first, after the position; one extra row. */
	Mono<List<Entry>> following(UUID userId, FollowPosition after, int limit) {
		return page("followee_id", "follower_id", userId, after, limit);
	}

	private Mono<List<Entry>> page(String listed, String of, UUID userId, FollowPosition after, int limit) {
		String sql = "SELECT " + UserDirectory.COLUMNS + ", f.followed_at FROM follow f JOIN directory_user u ON u.id = f."
				+ listed + " WHERE f." + of + " = $1 AND " + UserDirectory.LISTED
				+ (after.isStart() ? "" : " AND (f.followed_at, f." + listed + ") < ($3, $4)") + " ORDER BY f.followed_at DESC, f."
				+ listed + " DESC LIMIT $2";
		DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind(0, userId).bind(1, limit + 1);
		if (!after.isStart()) {
			spec = spec.bind(2, after.at().atOffset(ZoneOffset.UTC)).bind(3, after.id());
		}
		return spec
			.map(row -> new Entry(UserDirectory.toUser(row), row.get("followed_at", OffsetDateTime.class).toInstant()))
			.all()
			.collectList();
	}

	/** A person on a follow list, and when the edge was made (the page's sort key). */
	record Entry(DirectoryUser user, Instant followedAt) {

		FollowPosition position() {
			return new FollowPosition(followedAt, user.id());
		}

	}

}
