package dev.bookmarks.graph.directory;

import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.events.user.UserProfileUpdated;
import dev.bookmarks.events.user.UserRegistered;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/**
 * The directory table: profiles written from user events, counts from follow edges and image
 * events, read by the people API. Rows of people whose registration has not arrived yet are
 * placeholders (see V3): counted, never listed or found by name.
 */
@Repository
public class UserDirectory {

	/** The columns of {@link DirectoryUser}, for queries that alias the table {@code u}. */
	public static final String COLUMNS = "u.id, u.username, u.display_name, u.photo_url, u.followers, u.following, u.images";

	/** Who may be listed, found and followed: registered and active. */
	public static final String LISTED = "u.active AND NOT u.placeholder";

	private final DatabaseClient db;

	UserDirectory(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Adds a registered user; a replay of the same registration changes nothing. When a profile
	 * update overtook the registration (say the registration was retried), the newer profile stays
	 * and only the registration time is corrected. A placeholder gets the real profile and keeps
	 * its counts.
	 */
	public Mono<Void> add(UserRegistered event) {
		return db.sql("""
				INSERT INTO directory_user AS u (id, username, display_name, photo_url, registered_at, profile_updated_at)
				VALUES ($1, $2, $3, $4, $5, $5)
				ON CONFLICT (id) DO UPDATE
				SET registered_at = least(u.registered_at, EXCLUDED.registered_at),
				    username = CASE WHEN u.placeholder THEN EXCLUDED.username ELSE u.username END,
				    display_name = CASE WHEN u.placeholder THEN EXCLUDED.display_name ELSE u.display_name END,
				    photo_url = CASE WHEN u.placeholder THEN EXCLUDED.photo_url ELSE u.photo_url END,
				    profile_updated_at = CASE WHEN u.placeholder THEN EXCLUDED.profile_updated_at ELSE u.profile_updated_at END,
				    placeholder = false""")
			.bind(0, event.userId())
			.bind(1, event.username())
			.bind(2, event.displayName() != null ? event.displayName() : event.username())
			.bind(3, Parameter.fromOrEmpty(event.photoUrl(), String.class))
			.bind(4, event.registeredAt().atOffset(ZoneOffset.UTC))
			.then();
	}

	/**
	 * Shows the user's new name and photo, unless the directory already shows a profile at least
	 * as new: applying the same event twice, or an older one after a newer, changes nothing. A user
	 * not in the directory yet is added from the event (its registration time is corrected when
	 * the registration arrives); a placeholder's profile is older than any, so it is replaced.
	 */
	public Mono<Void> update(UserProfileUpdated event) {
		return db.sql("""
				INSERT INTO directory_user AS u (id, username, display_name, photo_url, registered_at, profile_updated_at)
				VALUES ($1, $2, $3, $4, $5, $5)
				ON CONFLICT (id) DO UPDATE
				SET username = EXCLUDED.username, display_name = EXCLUDED.display_name, photo_url = EXCLUDED.photo_url,
				    profile_updated_at = EXCLUDED.profile_updated_at,
				    registered_at = least(u.registered_at, EXCLUDED.registered_at), placeholder = false
				WHERE u.profile_updated_at < EXCLUDED.profile_updated_at""")
			.bind(0, event.userId())
			.bind(1, event.username())
			.bind(2, event.displayName() != null ? event.displayName() : event.username())
			.bind(3, Parameter.fromOrEmpty(event.photoUrl(), String.class))
			.bind(4, event.updatedAt().atOffset(ZoneOffset.UTC))
			.then();
	}

	/**
	 * Makes sure the person has a row to count on: a placeholder under the given name when their
	 * registration has not arrived yet, nothing otherwise.
	 */
	public Mono<Void> addPlaceholder(UUID id, String username) {
		return db.sql("""
				INSERT INTO directory_user (id, username, display_name, registered_at, profile_updated_at, placeholder)
				VALUES ($1, $2, $2, 'infinity', '-infinity', true)
				ON CONFLICT (id) DO NOTHING""")
			.bind(0, id)
			.bind(1, placeholderName(id, username))
			.then();
	}

	/**
	 * Applies a batch's image counts: each owner's count becomes {@code max(floor, count + delta)}
	 * ({@link ImageCounts}); an owner with a new image who is not registered yet gets a placeholder
	 * row, an owner with only deletions and no row gets none. Rows in id order.
	 */
	Mono<Void> countImages(ImageCounts counts) {
		List<ImageCounts.Change> changes = counts.changes();
		if (changes.isEmpty()) {
			return Mono.empty();
		}
		List<ImageCounts.Change> added = changes.stream().filter(ImageCounts.Change::added).toList();
		Mono<Void> placeholders = added.isEmpty() ? Mono.empty() : db.sql("""
				INSERT INTO directory_user (id, username, display_name, registered_at, profile_updated_at, placeholder)
				SELECT id, name, name, 'infinity', '-infinity', true FROM unnest($1::uuid[], $2::text[]) AS c(id, name)
				ON CONFLICT (id) DO NOTHING""")
			.bind(0, added.stream().map(ImageCounts.Change::owner).toArray(UUID[]::new))
			.bind(1, added.stream().map(change -> placeholderName(change.owner(), change.username())).toArray(String[]::new))
			.then();
		// greatest() ignores a null floor: a batch of only new images has none.
		return placeholders.then(db.sql("""
				UPDATE directory_user u SET images = greatest(c.floor, u.images + c.delta)
				FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS c(id, floor, delta)
				WHERE u.id = c.id AND u.images IS DISTINCT FROM greatest(c.floor, u.images + c.delta)""")
			.bind(0, changes.stream().map(ImageCounts.Change::owner).toArray(UUID[]::new))
			.bind(1, changes.stream().map(ImageCounts.Change::floor).toArray(Long[]::new))
			.bind(2, changes.stream().map(ImageCounts.Change::delta).toArray(Long[]::new))
			.then());
	}

	/**
	 * Adds {@code delta} to the follower's {@code following} and the followee's {@code followers},
	 * in place (never read and written back), so concurrent changes all count. The two rows are
	 * always locked in the same order (by id), so that A following B while B follows A cannot
	 * deadlock.
	 */
	public Mono<Void> changeFollowCounts(UUID followerId, UUID followeeId, int delta) {
		Mono<Long> following = db.sql("UPDATE directory_user SET following = following + $2 WHERE id = $1")
			.bind(0, followerId)
			.bind(1, delta)
			.fetch()
			.rowsUpdated();
		Mono<Long> followers = db.sql("UPDATE directory_user SET followers = followers + $2 WHERE id = $1")
			.bind(0, followeeId)
			.bind(1, delta)
			.fetch()
			.rowsUpdated();
		return (followerId.compareTo(followeeId) < 0 ? following.then(followers) : followers.then(following)).then();
	}

	/** A listed person by username (case-insensitive), or empty. */
	public Mono<DirectoryUser> findListed(String username) {
		return db.sql("SELECT " + COLUMNS + " FROM directory_user u WHERE lower(u.username) = lower($1) AND NOT u.placeholder AND u.active")
			.bind(0, username)
			.map(UserDirectory::toUser)
			.one();
	}

	/** A listed person by username, with whether the viewer follows them, or empty. */
	public Mono<UserProfile> profile(String username, UUID viewerId) {
		return db.sql("SELECT " + COLUMNS + """
				, EXISTS (SELECT 1 FROM follow f WHERE f.follower_id = $2 AND f.followee_id = u.id) AS followed_by_me
				FROM directory_user u WHERE lower(u.username) = lower($1) AND NOT u.placeholder AND u.active""")
			.bind(0, username)
			.bind(1, viewerId)
			.map(row -> UserProfile.of(toUser(row), Boolean.TRUE.equals(row.get("followed_by_me", Boolean.class))))
			.one();
	}

	/** Active users ordered by username, after the given one; fetches one extra row to tell if more follow. */
	public Mono<List<DirectoryUser>> listActive(String afterUsername, int limit) {
		DatabaseClient.GenericExecuteSpec spec = afterUsername == null
				? db.sql("SELECT " + COLUMNS + " FROM directory_user u WHERE " + LISTED + " ORDER BY u.username LIMIT $1")
					.bind(0, limit + 1)
				: db.sql("SELECT " + COLUMNS + " FROM directory_user u WHERE " + LISTED
						+ " AND u.username > $1 ORDER BY u.username LIMIT $2")
					.bind(0, afterUsername)
					.bind(1, limit + 1);
		return spec.map(UserDirectory::toUser).all().collectList();
	}

	/** Reads the {@link #COLUMNS} of a row. */
	public static DirectoryUser toUser(Readable row) {
		return new DirectoryUser(row.get("id", UUID.class), row.get("username", String.class),
				row.get("display_name", String.class), row.get("photo_url", String.class),
				row.get("followers", Long.class), row.get("following", Long.class), row.get("images", Long.class));
	}

	private static String placeholderName(UUID id, String username) {
		return username != null && !username.isBlank() ? username : id.toString();
	}

}
