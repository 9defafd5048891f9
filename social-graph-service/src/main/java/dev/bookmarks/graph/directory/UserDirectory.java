package dev.bookmarks.graph.directory;

import java.time.ZoneOffset;
import java.util.List;

import dev.bookmarks.events.user.UserProfileUpdated;
import dev.bookmarks.events.user.UserRegistered;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/** The directory table: written from user events, read by the people API. */
@Repository
public class UserDirectory {

	private static final String COLUMNS = "id, username, display_name, photo_url, followers, following, images";

	private final DatabaseClient db;

	UserDirectory(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Adds a registered user; a replay of the same registration changes nothing. When a profile
	 * update overtook the registration (say the registration was retried), the newer profile stays
	 * and only the registration time is corrected.
	 */
	public Mono<Void> add(UserRegistered event) {
		return db.sql("""
				INSERT INTO directory_user (id, username, display_name, photo_url, registered_at, profile_updated_at)
				VALUES ($1, $2, $3, $4, $5, $5)
				ON CONFLICT (id) DO UPDATE SET registered_at = least(directory_user.registered_at, EXCLUDED.registered_at)""")
			.bind(0, event.userId())
			.bind(1, event.username())
			.bind(2, event.displayName() != null ? event.displayName() : event.username())
			.bind(3, org.springframework.r2dbc.core.Parameter.fromOrEmpty(event.photoUrl(), String.class))
			.bind(4, event.registeredAt().atOffset(ZoneOffset.UTC))
			.then();
	}

	/**
	 * Shows the user's new name and photo, unless the directory already shows a profile at least
	 * as new: applying the same event twice, or an older one after a newer, changes nothing. A user
	 * not in the directory yet is added from the event (its registration time is corrected when
	 * the registration arrives).
	 */
	public Mono<Void> update(UserProfileUpdated event) {
		return db.sql("""
				INSERT INTO directory_user (id, username, display_name, photo_url, registered_at, profile_updated_at)
				VALUES ($1, $2, $3, $4, $5, $5)
				ON CONFLICT (id) DO UPDATE
				SET username = EXCLUDED.username, display_name = EXCLUDED.display_name, photo_url = EXCLUDED.photo_url,
				    profile_updated_at = EXCLUDED.profile_updated_at
				WHERE directory_user.profile_updated_at < EXCLUDED.profile_updated_at""")
			.bind(0, event.userId())
			.bind(1, event.username())
			.bind(2, event.displayName() != null ? event.displayName() : event.username())
			.bind(3, org.springframework.r2dbc.core.Parameter.fromOrEmpty(event.photoUrl(), String.class))
			.bind(4, event.updatedAt().atOffset(ZoneOffset.UTC))
			.then();
	}

	/** Active users ordered by username, after the given one; fetches one extra row to tell if more follow. */
	public Mono<List<DirectoryUser>> listActive(String afterUsername, int limit) {
		DatabaseClient.GenericExecuteSpec spec = afterUsername == null
				? db.sql("SELECT " + COLUMNS + " FROM directory_user WHERE active ORDER BY username LIMIT $1")
					.bind(0, limit + 1)
				: db.sql("SELECT " + COLUMNS
						+ " FROM directory_user WHERE active AND username > $1 ORDER BY username LIMIT $2")
					.bind(0, afterUsername)
					.bind(1, limit + 1);
		return spec.map(UserDirectory::toUser).all().collectList();
	}

	private static DirectoryUser toUser(Readable row) {
		return new DirectoryUser(row.get("id", java.util.UUID.class), row.get("username", String.class),
				row.get("display_name", String.class), row.get("photo_url", String.class),
				row.get("followers", Long.class), row.get("following", Long.class), row.get("images", Long.class));
	}

}
