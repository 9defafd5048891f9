package dev.bookmarks.activity.feed;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bookmarks.activity.feed.ActionView.ImageTarget;
import dev.bookmarks.activity.feed.ActionView.UserTarget;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Reads feeds by fan-out on read: a person's feed is merged at request time from the newest
 * actions of each person they follow (one short index range per followee), so following,
 * unfollowing, deleting and profile changes show at once and nothing is copied per follower.
 * docs/feed.md explains the choice and its limits.
 */
@Repository
class FeedQueries {

	/** Shows a page of action rows (the CTE {@code page}) with the current names, photos and titles. */
	private static final String SHOW = """
			SELECT p.id, p.verb, p.created_at, p.tx, p.actor_id, ac.username AS actor_username,
			       ac.photo_url AS actor_photo, p.target_type, p.target_id, i.title, i.thumbnail_url,
			       tu.username AS target_username
			FROM page p
			JOIN actor ac ON ac.id = p.actor_id
			LEFT JOIN image i ON p.target_type = 'image' AND i.id = p.target_id
			LEFT JOIN actor tu ON p.target_type = 'user' AND tu.id = p.target_id
			""";

	private static final String COLUMNS = "id, actor_id, verb, target_type, target_id, created_at, tx";

	private static final String BEFORE = " AND (created_at, id) < ($3, $4)";

	private static final String AFTER = " AND (tx, id) > ($3, $4) AND tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

	private static final String NEWEST_FIRST = " ORDER BY created_at DESC, id DESC LIMIT $2";

	private static final String COMMIT_ORDER = " ORDER BY tx, id LIMIT $2";

	private static final String FOLLOWED_EDGES = " WHERE f.follower_id = $1 AND f.following AND f.followee_id <> $1";

	private final DatabaseClient db;

	private final FeedProperties properties;

	private final AtomicInteger running = new AtomicInteger();

	FeedQueries(DatabaseClient db, FeedProperties properties) {
		this.db = db;
		this.properties = properties;
	}

	/** An action with its place in commit order (for streams). */
	record Item(ActionView view, long tx) {

		Positions.Before before() {
			return new Positions.Before(view.createdAt(), view.id());
		}

		Positions.After after() {
			return new Positions.After(tx, view.id());
		}

	}

	/** How a person's feed is read. */
	enum Shape {

		/** Follows nobody: everyone's actions but their own. */
		EVERYONE,
		/** Follows a few: each followee's newest actions, merged. */
		FOLLOWEES,
		/** Follows very many: everyone's newest actions, keeping the followees'. */
		DENSE

	}

	/**
	 * The caller's feed, newest first: {@code limit + 1} items at most, before the position if given.
	 * One statement, one round trip: the bounded count of the caller's edges is an init plan, and
	 * each shape's branch runs only when the count selects it (a one-time filter).
	 */
	Mono<List<Item>> feed(UUID me, Positions.Before before, int limit) {
		return bounded(list(feedSql(before != null, properties.denseFollowingThreshold()),
				" ORDER BY p.created_at DESC, p.id DESC", me, limit + 1, before));
	}

	/** The feed statement; {@code threshold} is a number from the configuration, never user input. */
	static String feedSql(boolean paged, int threshold) {
		String where = paged ? BEFORE : "";
		String edges = "(SELECT c FROM edges)";
		return "edges AS (SELECT count(*) AS c FROM (SELECT 1 FROM follow_edge f" + FOLLOWED_EDGES + " LIMIT "
				+ (threshold + 1) + ") e), page AS (SELECT * FROM ("
				// Follows a few: each followee's newest actions, merged.
				+ "(SELECT a.* FROM follow_edge f CROSS JOIN LATERAL (SELECT " + COLUMNS
				+ " FROM action WHERE actor_id = f.followee_id" + where + NEWEST_FIRST + ") a" + FOLLOWED_EDGES
				+ " AND " + edges + " BETWEEN 1 AND " + threshold + " ORDER BY a.created_at DESC, a.id DESC LIMIT $2)"
				// Follows nobody: everyone's actions but their own.
				+ " UNION ALL (SELECT " + COLUMNS + " FROM action WHERE actor_id <> $1" + where + " AND " + edges
				+ " = 0" + NEWEST_FIRST + ")"
				// Follows very many: everyone's newest actions, keeping the followees'.
				+ " UNION ALL (SELECT " + COLUMNS + " FROM action a WHERE a.actor_id <> $1" + where + " AND " + edges
				+ " > " + threshold
				+ " AND EXISTS (SELECT 1 FROM follow_edge f WHERE f.follower_id = $1 AND f.followee_id = a.actor_id"
				+ " AND f.following)" + NEWEST_FIRST + ")) u"
				// Limited again, so that the planner expects a page of rows (not three pages) and joins
				// the display data by primary key instead of hashing whole tables.
				+ NEWEST_FIRST + ")";
	}

	/** One person's actions, newest first. */
	Mono<List<Item>> byActor(UUID actor, Positions.Before before, int limit) {
		String inner = "SELECT " + COLUMNS + " FROM action WHERE actor_id = $1" + (before == null ? "" : BEFORE)
				+ NEWEST_FIRST;
		return bounded(list("page AS (" + inner + ")", " ORDER BY p.created_at DESC, p.id DESC", actor, limit + 1, before));
	}

	/**
	 * The caller's feed actions committed after the position, oldest first, only from transactions
	 * older than every running one: an action committed later can never land behind a position
	 * already sent.
	 */
	Mono<List<Item>> after(UUID me, Positions.After after, int limit) {
		return shape(me).flatMap(shape -> {
			String inner = switch (shape) {
				case FOLLOWEES -> "SELECT a.* FROM follow_edge f CROSS JOIN LATERAL (SELECT " + COLUMNS
						+ " FROM action WHERE actor_id = f.followee_id" + AFTER + COMMIT_ORDER + ") a" + FOLLOWED_EDGES
						+ " ORDER BY a.tx, a.id LIMIT $2";
				case DENSE -> "SELECT " + COLUMNS + " FROM action a WHERE a.actor_id <> $1" + AFTER
						+ " AND EXISTS (SELECT 1 FROM follow_edge f WHERE f.follower_id = $1 AND f.followee_id = a.actor_id"
						+ " AND f.following)" + COMMIT_ORDER;
				case EVERYONE -> "SELECT " + COLUMNS + " FROM action WHERE actor_id <> $1" + AFTER + COMMIT_ORDER;
			};
			return db.sql("WITH page AS (" + inner + ") " + SHOW + " ORDER BY p.tx, p.id")
				.bind(0, me)
				.bind(1, limit)
				.bind(2, after.tx())
				.bind(3, after.id())
				.map(FeedQueries::toItem)
				.all()
				.collectList();
		});
	}

	/** The stream position of "now": every transaction below it has ended. */
	Mono<Long> horizon() {
		return db.sql("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
			.map(row -> row.get(0, Long.class))
			.one();
	}

	/** Of these people, those whose feed shows actions of any of these actors. */
	Mono<List<UUID>> readersOf(Collection<UUID> people, Collection<UUID> actors) {
		return db.sql("""
				SELECT u.id FROM unnest($1::uuid[]) AS u(id)
				WHERE EXISTS (SELECT 1 FROM follow_edge f WHERE f.follower_id = u.id AND f.following
				              AND f.followee_id <> u.id AND f.followee_id = ANY($2::uuid[]))
				   OR (NOT EXISTS (SELECT 1 FROM follow_edge f WHERE f.follower_id = u.id AND f.following
				                   AND f.followee_id <> u.id)
				       AND EXISTS (SELECT 1 FROM unnest($2::uuid[]) AS a(id) WHERE a.id <> u.id))""")
			.bind(0, people.toArray(UUID[]::new))
			.bind(1, actors.toArray(UUID[]::new))
			.map(row -> row.get(0, UUID.class))
			.all()
			.collectList();
	}

	/** The id of the person with this username (case-insensitive), if any event has named them. */
	Mono<UUID> actorNamed(String username) {
		return bounded(db.sql("""
				SELECT id FROM actor WHERE lower(username) = lower($1)
				ORDER BY profile_at DESC NULLS LAST, id LIMIT 1""")
			.bind(0, username)
			.map(row -> row.get(0, UUID.class))
			.one());
	}

	private Mono<Shape> shape(UUID me) {
		int threshold = properties.denseFollowingThreshold();
		return db.sql("SELECT count(*) FROM (SELECT 1 FROM follow_edge f" + FOLLOWED_EDGES + " LIMIT $2) f")
			.bind(0, me)
			.bind(1, threshold + 1)
			.map(row -> row.get(0, Long.class))
			.one()
			.map(count -> count == 0 ? Shape.EVERYONE : count > threshold ? Shape.DENSE : Shape.FOLLOWEES);
	}

	private Mono<List<Item>> list(String ctes, String order, UUID subject, int rows, Positions.Before before) {
		DatabaseClient.GenericExecuteSpec spec = db.sql("WITH " + ctes + " " + SHOW + order)
			.bind(0, subject)
			.bind(1, rows);
		if (before != null) {
			spec = spec.bind(2, before.createdAt().atOffset(ZoneOffset.UTC)).bind(3, before.id());
		}
		return spec.map(FeedQueries::toItem).all().collectList();
	}

	/** At most so many queries at once per instance; the next one is refused with 503 at once. */
	private <T> Mono<T> bounded(Mono<T> query) {
		return Mono.defer(() -> {
			if (running.incrementAndGet() > properties.maxConcurrentQueries()) {
				running.decrementAndGet();
				return Mono.error(Refused.busy("The feed is busy, try again shortly.", Duration.ofSeconds(1)));
			}
			return query.doFinally(signal -> running.decrementAndGet());
		});
	}

	private static Item toItem(Readable row) {
		String targetType = row.get("target_type", String.class);
		UUID targetId = row.get("target_id", UUID.class);
		ActionView.Target target = targetType == null ? null
				: "image".equals(targetType)
						? new ImageTarget(targetId, row.get("title", String.class), row.get("thumbnail_url", String.class))
						: new UserTarget(targetId, row.get("target_username", String.class));
		ActionView view = new ActionView(row.get("id", UUID.class),
				new ActionView.Actor(row.get("actor_id", UUID.class), row.get("actor_username", String.class),
						row.get("actor_photo", String.class)),
				row.get("verb", String.class), target, row.get("created_at", OffsetDateTime.class).toInstant());
		return new Item(view, row.get("tx", Long.class));
	}

}
