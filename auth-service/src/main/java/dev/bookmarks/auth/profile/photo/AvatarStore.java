package dev.bookmarks.auth.profile.photo;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code avatar} table: profile photos by content hash, shared by every replica. A row is
 * immutable; it goes away only when no account shows it any more.
 */
@Repository
public class AvatarStore {

	private static final Logger log = LoggerFactory.getLogger(AvatarStore.class);

	private final JdbcClient jdbc;

	AvatarStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores the photo unless the same bytes are stored already, and locks the row until the
	 * transaction ends, so that a concurrent clean-up cannot delete it before the account that is
	 * about to reference it commits.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void save(ProcessedPhoto photo) {
		jdbc.sql("""
				INSERT INTO avatar (sha256, media_type, content, width, height)
				VALUES (:sha256, :mediaType, :content, :width, :height)
				ON CONFLICT (sha256) DO UPDATE SET sha256 = EXCLUDED.sha256""")
			.param("sha256", photo.sha256())
			.param("mediaType", photo.mediaType())
			.param("content", photo.content())
			.param("width", photo.width())
			.param("height", photo.height())
			.update();
	}

	public Optional<StoredAvatar> find(String sha256) {
		return jdbc.sql("SELECT media_type, content FROM avatar WHERE sha256 = ?")
			.param(sha256)
			.query((rs, row) -> new StoredAvatar(sha256, rs.getString("media_type"), rs.getBytes("content")))
			.optional();
	}

	/**
	 * Deletes a photo that no account shows any more. Best effort, one statement of its own, called
	 * after the transaction that dropped the photo: when another account took the same photo
	 * meanwhile, its foreign key makes the delete fail and the photo stays.
	 */
	public void deleteIfUnused(String sha256) {
		try {
			int deleted = jdbc.sql("""
					DELETE FROM avatar
					WHERE sha256 = :sha256
					  AND NOT EXISTS (SELECT 1 FROM account WHERE photo_sha256 = :sha256)""")
				.param("sha256", sha256)
				.update();
			log.debug("Deleted {} unused avatar(s) {}", deleted, sha256);
		}
		catch (DataIntegrityViolationException ex) {
			log.debug("Avatar {} was taken by another account meanwhile; kept", sha256);
		}
	}

	/** A photo as served. */
	public record StoredAvatar(String sha256, String mediaType, byte[] content) {
	}

}
