package dev.bookmarks.bookmark.image;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.bookmark.blob.BlobLocks;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/** The image and like tables. Every read of one image is a single indexed query. */
@Repository
public class ImageRepository {

	static final String COLUMNS = """
			i.id, i.owner_id, i.owner_username, i.slug, i.title, i.description, i.source_url, i.original_key,
			i.square_key, i.detail_key, i.width, i.height, i.like_count, i.created_at,
			EXISTS (SELECT 1 FROM image_like l WHERE l.image_id = i.id AND l.user_id = $1) AS liked_by_me""";

	private final DatabaseClient db;

	ImageRepository(DatabaseClient db) {
		this.db = db;
	}

	/** What a new image is made of. */
	record NewImage(UUID id, UUID ownerId, String ownerUsername, String slug, String title, String description,
			String sourceUrl, String normalizedUrl, String contentHash, String originalKey, String squareKey,
			String detailKey, int width, int height, Instant createdAt) {

		NewImage withSlug(String other) {
			return new NewImage(id, ownerId, ownerUsername, other, title, description, sourceUrl, normalizedUrl,
					contentHash, originalKey, squareKey, detailKey, width, height, createdAt);
		}

	}

	/**
	 * Inserts the image unless its slug is taken (then nothing happens and the answer is false). A
	 * URL the owner saved before still fails with DuplicateKeyException.
	 */
	Mono<Boolean> insertIfSlugFree(NewImage image) {
		OffsetDateTime at = image.createdAt().atOffset(ZoneOffset.UTC);
		return db.sql("""
				INSERT INTO image (id, owner_id, owner_username, slug, title, description, source_url, normalized_url,
				    content_hash, original_key, square_key, detail_key, width, height, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
				ON CONFLICT (slug) DO NOTHING""")
			.bind(0, image.id())
			.bind(1, image.ownerId())
			.bind(2, image.ownerUsername())
			.bind(3, image.slug())
			.bind(4, image.title())
			.bind(5, image.description())
			.bind(6, image.sourceUrl())
			.bind(7, image.normalizedUrl())
			.bind(8, image.contentHash())
			.bind(9, image.originalKey())
			.bind(10, image.squareKey())
			.bind(11, image.detailKey())
			.bind(12, image.width())
			.bind(13, image.height())
			.bind(14, at)
			.fetch()
			.rowsUpdated()
			.map(inserted -> inserted == 1);
	}

	Mono<UUID> idSavedBy(UUID ownerId, String normalizedUrl) {
		return db.sql("SELECT id FROM image WHERE owner_id = $1 AND normalized_url = $2")
			.bind(0, ownerId)
			.bind(1, normalizedUrl)
			.map(row -> row.get(0, UUID.class))
			.one();
	}

	/** Holds these blobs' locks until the transaction ends (see BlobLocks). */
	Mono<Void> lockBlobs(List<String> keys) {
		return BlobLocks.lock(db, keys);
	}

	Mono<ImageRow> find(UUID id, UUID viewer) {
		return db.sql("SELECT " + COLUMNS + " FROM image i WHERE i.id = $2")
			.bind(0, Parameter.fromOrEmpty(viewer, UUID.class))
			.bind(1, id)
			.map(ImageRepository::toRow)
			.one();
	}

	/** Newest first, optionally one owner's (by id or username); {@code limit + 1} rows. */
	Flux<ImageRow> newest(UUID viewer, Owner owner, Instant beforeAt, UUID beforeId, int limit) {
		StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM image i WHERE true");
		DatabaseClient.GenericExecuteSpec spec;
		int next = 2;
		if (owner != null) {
			sql.append(owner.id() != null ? " AND i.owner_id = $" + next++ : " AND lower(i.owner_username) = lower($" + next++ + ")");
		}
		if (beforeAt != null) {
			sql.append(" AND (i.created_at, i.id) < ($").append(next++).append(", $").append(next++).append(")");
		}
		sql.append(" ORDER BY i.created_at DESC, i.id DESC LIMIT $").append(next);
		spec = db.sql(sql.toString()).bind(0, Parameter.fromOrEmpty(viewer, UUID.class));
		int index = 1;
		if (owner != null) {
			spec = owner.id() != null ? spec.bind(index++, owner.id()) : spec.bind(index++, owner.username());
		}
		if (beforeAt != null) {
			spec = spec.bind(index++, beforeAt.atOffset(ZoneOffset.UTC)).bind(index++, beforeId);
		}
		return spec.bind(index, limit + 1).map(ImageRepository::toRow).all();
	}

	/** Images a person liked, most recently liked first; the cursor is the like's time. */
	Flux<LikedImage> likedBy(UUID viewer, Owner liker, Instant beforeAt, UUID beforeId, int limit) {
		String who = liker.id() != null ? "l.user_id = $2" : "lower(l.username) = lower($2)";
		String page = beforeAt != null ? " AND (l.created_at, i.id) < ($3, $4)" : "";
		DatabaseClient.GenericExecuteSpec spec = db
			.sql("SELECT " + COLUMNS + ", l.created_at AS liked_at FROM image_like l JOIN image i ON i.id = l.image_id WHERE "
					+ who + page + " ORDER BY l.created_at DESC, i.id DESC LIMIT $" + (beforeAt != null ? 5 : 3))
			.bind(0, Parameter.fromOrEmpty(viewer, UUID.class))
			.bind(1, liker.id() != null ? liker.id() : liker.username());
		if (beforeAt != null) {
			spec = spec.bind(2, beforeAt.atOffset(ZoneOffset.UTC)).bind(3, beforeId).bind(4, limit + 1);
		}
		else {
			spec = spec.bind(2, limit + 1);
		}
		return spec.map(row -> new LikedImage(toRow(row), row.get("liked_at", OffsetDateTime.class).toInstant())).all();
	}

	record LikedImage(ImageRow image, Instant likedAt) {
	}

	/** An owner or liker named by id or by username. */
	record Owner(UUID id, String username) {

		static Owner parse(String value) {
			if (value == null || value.isBlank()) {
				return null;
			}
			try {
				return new Owner(UUID.fromString(value.trim()), null);
			}
			catch (IllegalArgumentException ex) {
				return new Owner(null, value.trim());
			}
		}

	}

	Mono<Long> update(UUID id, String title, String description, Instant at) {
		return db.sql("UPDATE image SET title = $2, description = $3, updated_at = $4 WHERE id = $1")
			.bind(0, id)
			.bind(1, title)
			.bind(2, description)
			.bind(3, at.atOffset(ZoneOffset.UTC))
			.fetch()
			.rowsUpdated();
	}

	Mono<Long> delete(UUID id) {
		return db.sql("DELETE FROM image WHERE id = $1").bind(0, id).fetch().rowsUpdated();
	}

	/** Adds the like if new and returns the exact count, or empty when it already existed. */
	Mono<Long> like(UUID imageId, UUID userId, String username, Instant at) {
		return db.sql("""
				INSERT INTO image_like (image_id, user_id, username, created_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING""")
			.bind(0, imageId)
			.bind(1, userId)
			.bind(2, username)
			.bind(3, at.atOffset(ZoneOffset.UTC))
			.fetch()
			.rowsUpdated()
			.filter(inserted -> inserted == 1)
			.flatMap(inserted -> changeCount(imageId, 1));
	}

	/** Removes the like if there was one and returns the exact count, or empty. */
	Mono<Long> unlike(UUID imageId, UUID userId) {
		return db.sql("DELETE FROM image_like WHERE image_id = $1 AND user_id = $2")
			.bind(0, imageId)
			.bind(1, userId)
			.fetch()
			.rowsUpdated()
			.filter(deleted -> deleted == 1)
			.flatMap(deleted -> changeCount(imageId, -1));
	}

	private Mono<Long> changeCount(UUID imageId, int delta) {
		return db.sql("UPDATE image SET like_count = like_count + $2 WHERE id = $1 RETURNING like_count")
			.bind(0, imageId)
			.bind(1, delta)
			.map(row -> row.get(0, Long.class))
			.one();
	}

	/** Locks the image row for the rest of the transaction, so likes of one image queue up. */
	Mono<ImageRow> lock(UUID id) {
		return db.sql("SELECT " + COLUMNS + " FROM image i WHERE i.id = $2 FOR UPDATE")
			.bind(0, Parameter.empty(UUID.class))
			.bind(1, id)
			.map(ImageRepository::toRow)
			.one();
	}

	/** People who liked an image, most recent first. */
	Flux<Liker> likers(UUID imageId, Instant beforeAt, UUID beforeId, int limit) {
		DatabaseClient.GenericExecuteSpec spec = beforeAt == null
				? db.sql("SELECT user_id, username, created_at FROM image_like WHERE image_id = $1 ORDER BY created_at DESC, user_id DESC LIMIT $2")
					.bind(0, imageId)
					.bind(1, limit + 1)
				: db.sql("SELECT user_id, username, created_at FROM image_like WHERE image_id = $1 AND (created_at, user_id) < ($2, $3) ORDER BY created_at DESC, user_id DESC LIMIT $4")
					.bind(0, imageId)
					.bind(1, beforeAt.atOffset(ZoneOffset.UTC))
					.bind(2, beforeId)
					.bind(3, limit + 1);
		return spec.map(row -> new Liker(row.get("user_id", UUID.class), row.get("username", String.class),
				row.get("created_at", OffsetDateTime.class).toInstant())).all();
	}

	record Liker(UUID id, String username, Instant likedAt) {
	}

	/** Queues blobs for deletion once the current transaction commits. */
	Mono<Void> forgetBlobs(List<String> keys) {
		return Flux.fromIterable(keys)
			.concatMap(key -> db.sql("INSERT INTO blob_deletion (blob_key) VALUES ($1) ON CONFLICT DO NOTHING")
				.bind(0, key)
				.then())
			.then();
	}

	private static ImageRow toRow(Readable row) {
		return new ImageRow(row.get("id", UUID.class), row.get("owner_id", UUID.class),
				row.get("owner_username", String.class), row.get("slug", String.class), row.get("title", String.class),
				row.get("description", String.class), row.get("source_url", String.class),
				row.get("original_key", String.class), row.get("square_key", String.class),
				row.get("detail_key", String.class), row.get("width", Integer.class), row.get("height", Integer.class),
				row.get("like_count", Long.class), Boolean.TRUE.equals(row.get("liked_by_me", Boolean.class)),
				row.get("created_at", OffsetDateTime.class).toInstant());
	}

}
