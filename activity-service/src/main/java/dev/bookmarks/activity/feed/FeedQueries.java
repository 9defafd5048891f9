package dev.bookmarks.activity.feed;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bookmarks.activity.feed.ActionView.ImageTarget;
import dev.bookmarks.activity.feed.ActionView.UserTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Reads feeds. The source of truth is fan-out on read: a person's feed is merged at request time
 * from the newest actions of each person they follow (one short index range per followee), so
 * following, unfollowing, deleting and profile changes show at once. A recently active reader's
 * page comes from their timeline ({@link FeedTimelines}) when it can answer it: a candidate list
 * that the read validates against the actions and follow edges, one short range instead of a merge.
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

	private static final String AFTER = " AND (tx, id) > ($3, $4) AND tx < $5";

	private static final String NEWEST_FIRST = " ORDER BY created_at DESC, id DESC LIMIT $2";

	private static final String COMMIT_ORDER = " ORDER BY tx, id LIMIT $2";

	private static final String FOLLOWED_EDGES = " WHERE f.follower_id = $1 AND f.following AND f.followee_id <> $1";

	/** In {@link #followedAmong}: the person follows nobody, so every actor but themselves. */
	static final UUID EVERYONE = new UUID(0L, 0L);

	private final DatabaseClient db;

	private final FeedProperties properties;

	private final AtomicInteger running = new AtomicInteger();

	private final FeedTimelines timelines;

	/** Feed pages answered by a timeline, and by fan-out on read. */
	private final Counter fromTimeline;

	private final Counter byFanOut;

	FeedQueries(DatabaseClient db, FeedProperties properties, FeedTimelines timelines,
			ObjectProvider<MeterRegistry> registry) {
		this.db = db;
		this.properties = properties;
		this.timelines = timelines;
		FeedMeters meters = new FeedMeters(registry);
		String description = "Feed pages (GET /api/feed) by where they came from: a timeline or fan-out on read";
		this.fromTimeline = meters.counter("bookmarks.feed.pages", description, "source", "timeline");
		this.byFanOut = meters.counter("bookmarks.feed.pages", description, "source", "fan-out");
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

	/**
	 * The caller's feed, newest first: {@code limit + 1} items at most, before the position if given.
	 * From the caller's timeline when it is ready and can answer the page (one statement), otherwise
	 * by fan-out on read (a second one), which also asks for the timeline to be built.
	 */
	Mono<List<Item>> feed(UUID me, Positions.Before before, int limit) {
		if (!timelines.enabled()) {
			return bounded(fanOut(me, before, limit).doOnSuccess(page -> byFanOut.increment()));
		}
		return bounded(timeline(me, before, limit).flatMap(page -> {
			if (page.answers(limit)) {
				fromTimeline.increment();
				return Mono.just(page.items());
			}
			if (!page.ready()) {
				timelines.activate(me);
			}
			return fanOut(me, before, limit).doOnSuccess(rows -> byFanOut.increment());
		}));
	}

	/**
	 * The fan-out-on-read statement, the source of truth: one round trip, the bounded count of the
	 * caller's edges is an init plan, and each shape's branch runs only when the count selects it
	 * (a one-time filter).
	 */
	Mono<List<Item>> fanOut(UUID me, Positions.Before before, int limit) {
		return list(feedSql(before != null, properties.denseFollowingThreshold()),
				" ORDER BY p.created_at DESC, p.id DESC", me, limit + 1, before);
	}

	/**
	 * A page read from a timeline: whether the reader's timeline is ready, its horizon, and the
	 * valid entries (at most {@code limit + 1}).
	 */
	record TimelinePage(boolean ready, Instant horizon, List<Item> items) {

		/**
		 * The page equals the fan-out-on-read one when it is full (so no valid action is beyond
		 * what the timeline holds) and its last row is newer than the horizon (so no action newer
		 * than it can be missing from the timeline).
		 */
		boolean answers(int limit) {
			return ready && items.size() == limit + 1
					&& (horizon == null || items.get(limit).view().createdAt().isAfter(horizon));
		}

	}

	/**
	 * The caller's timeline page: entries newest first, joined to their action (a deleted one
	 * vanishes) and kept only when the caller still follows its actor; with the reader's state in
	 * every row (and one row of only that state when the page is empty). Refreshes last_read_at
	 * when it is over an hour old, so that reads do not write.
	 */
	Mono<TimelinePage> timeline(UUID me, Positions.Before before, int limit) {
		String sql = "WITH reader AS (SELECT ready_at IS NOT NULL AS ready, horizon FROM feed_reader WHERE reader_id = $1),"
				+ " seen AS (UPDATE feed_reader SET last_read_at = now() WHERE reader_id = $1"
				+ " AND last_read_at < now() - interval '1 hour'),"
				+ " page AS (SELECT a.id, a.actor_id, a.verb, a.target_type, a.target_id, a.created_at, a.tx"
				+ " FROM feed_entry e JOIN action a ON a.id = e.action_id"
				+ " WHERE e.reader_id = $1 AND EXISTS (SELECT 1 FROM reader WHERE ready)"
				+ (before != null ? " AND (e.created_at, e.action_id) < ($3, $4)" : "")
				// The edge as a per-row subquery, not EXISTS: the planner would make EXISTS a hash
				// semi-join over every entry and sort them all, where this walks the entries newest
				// first and stops at the page's last row (about 20 lookups instead of 400).
				+ " AND a.actor_id <> $1 AND (SELECT f.following FROM follow_edge f WHERE f.follower_id = $1"
				+ " AND f.followee_id = a.actor_id)"
				+ " ORDER BY e.created_at DESC, e.action_id DESC LIMIT $2),"
				+ " shown AS (" + SHOW + ")"
				+ " SELECT r.ready AS timeline_ready, r.horizon AS timeline_horizon, s.*"
				+ " FROM (SELECT 1) one LEFT JOIN reader r ON true LEFT JOIN shown s ON true"
				+ " ORDER BY s.created_at DESC, s.id DESC";
		DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind(0, me).bind(1, limit + 1);
		if (before != null) {
			spec = spec.bind(2, before.createdAt().atOffset(ZoneOffset.UTC)).bind(3, before.id());
		}
		return spec.map(row -> {
			Boolean ready = row.get("timeline_ready", Boolean.class);
			OffsetDateTime horizon = row.get("timeline_horizon", OffsetDateTime.class);
			Item item = row.get("id", UUID.class) == null ? null : toItem(row);
			return new TimelinePage(Boolean.TRUE.equals(ready), horizon == null ? null : horizon.toInstant(),
					item == null ? List.of() : List.of(item));
		}).all().collectList().map(rows -> new TimelinePage(!rows.isEmpty() && rows.get(0).ready(),
				rows.isEmpty() ? null : rows.get(0).horizon(),
				rows.stream().flatMap(row -> row.items().stream()).toList()));
	}

	/** The feed statement; {@code threshold} is a number from the configuration, never user input. */
	static String feedSql(boolean paged, int threshold) {
		return byShape(paged ? BEFORE : "", NEWEST_FIRST, threshold);
	}

	/**
	 * The CTEs {@code edges} and {@code page}: the caller's feed actions that pass the filter, in
	 * the order given, whatever the caller follows. The bounded count of the caller's edges is an
	 * init plan, and each shape's branch runs only when the count selects it (a one-time filter),
	 * so one round trip serves every shape.
	 */
	private static String byShape(String filter, String order, int threshold) {
		String edges = "(SELECT c FROM edges)";
		return "edges AS (SELECT count(*) AS c FROM (SELECT 1 FROM follow_edge f" + FOLLOWED_EDGES + " LIMIT "
				+ (threshold + 1) + ") e), page AS (SELECT * FROM ("
				// Follows a few: each followee's actions, merged.
				+ "(SELECT a.* FROM follow_edge f CROSS JOIN LATERAL (SELECT " + COLUMNS
				+ " FROM action WHERE actor_id = f.followee_id" + filter + order + ") a" + FOLLOWED_EDGES
				+ " AND " + edges + " BETWEEN 1 AND " + threshold + order + ")"
				// Follows nobody: everyone's actions but their own.
				+ " UNION ALL (SELECT " + COLUMNS + " FROM action WHERE actor_id <> $1" + filter + " AND " + edges
				+ " = 0" + order + ")"
				// Follows very many: everyone's actions, keeping the followees'.
				+ " UNION ALL (SELECT " + COLUMNS + " FROM action a WHERE a.actor_id <> $1" + filter + " AND " + edges
				+ " > " + threshold
				+ " AND EXISTS (SELECT 1 FROM follow_edge f WHERE f.follower_id = $1 AND f.followee_id = a.actor_id"
				+ " AND f.following)" + order + ")) u"
				// Limited again, so that the planner expects a page of rows (not three pages) and joins
				// the display data by primary key instead of hashing whole tables.
				+ order + ")";
	}

	/** One person's actions, newest first. */
	Mono<List<Item>> byActor(UUID actor, Positions.Before before, int limit) {
		String inner = "SELECT " + COLUMNS + " FROM action WHERE actor_id = $1" + (before == null ? "" : BEFORE)
				+ NEWEST_FIRST;
		return bounded(list("page AS (" + inner + ")", " ORDER BY p.created_at DESC, p.id DESC", actor, limit + 1, before));
	}

	/**
	 * The caller's feed actions committed after the position and before {@code until} (a horizon: every
	 * transaction below it has ended), oldest first: an action committed later can never land behind a
	 * position already sent.
	 */
	Mono<List<Item>> after(UUID me, Positions.After after, long until, int limit) {
		return db.sql("WITH " + byShape(AFTER, COMMIT_ORDER, properties.denseFollowingThreshold()) + " " + SHOW
				+ " ORDER BY p.tx, p.id")
			.bind(0, me)
			.bind(1, limit)
			.bind(2, after.tx())
			.bind(3, after.id())
			.bind(4, until)
			.map(FeedQueries::toItem)
			.all()
			.collectList();
	}

	/**
	 * Every action of the transactions in {@code [from, until)}, whoever its actor, in commit order: what
	 * the live streams of an instance share (at most {@code limit} rows).
	 */
	Mono<List<Item>> committed(long from, long until, int limit) {
		return db.sql("WITH page AS (SELECT " + COLUMNS + " FROM action WHERE tx >= $1 AND tx < $2"
				+ " ORDER BY tx, id LIMIT $3) " + SHOW + " ORDER BY p.tx, p.id")
			.bind(0, from)
			.bind(1, until)
			.bind(2, limit)
			.map(FeedQueries::toItem)
			.all()
			.collectList();
	}

	/** The stream position of "now": every transaction below it has ended. */
	Mono<Long> horizon() {
		return db.sql("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
			.map(row -> row.get(0, Long.class))
			.one();
	}

	/**
	 * Of these people, whose feed shows which of these actors: each person's followed actors among them,
	 * and {@link #EVERYONE} for a person who follows nobody (whose feed shows everyone but themselves).
	 */
	Mono<Map<UUID, Set<UUID>>> followedAmong(Collection<UUID> people, Collection<UUID> actors) {
		return db.sql("""
				SELECT u.id, f.followee_id FROM unnest($1::uuid[]) AS u(id)
				JOIN follow_edge f ON f.follower_id = u.id AND f.following AND f.followee_id <> u.id
				                  AND f.followee_id = ANY($2::uuid[])
				UNION ALL
				SELECT u.id, NULL FROM unnest($1::uuid[]) AS u(id)
				WHERE NOT EXISTS (SELECT 1 FROM follow_edge f WHERE f.follower_id = u.id AND f.following
				                  AND f.followee_id <> u.id)""")
			.bind(0, people.toArray(UUID[]::new))
			.bind(1, actors.toArray(UUID[]::new))
			.map(row -> {
				UUID followee = row.get(1, UUID.class);
				return Map.entry(row.get(0, UUID.class), followee == null ? EVERYONE : followee);
			})
			.all()
			.collect(HashMap<UUID, Set<UUID>>::new,
					(seen, pair) -> seen.computeIfAbsent(pair.getKey(), reader -> new HashSet<>()).add(pair.getValue()));
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
