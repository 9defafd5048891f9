package dev.bookmarks.bookmark.blob;

import reactor.core.publisher.Mono;

/**
 * Where pictures live, by content-addressed key ({@code <sha256>.jpg|png}): the same bytes always
 * get the same key, so a put is idempotent and a served picture never changes.
 */
public interface BlobStore {

	/** A stored picture. */
	record Blob(byte[] bytes, String mediaType) {
	}

	Mono<Void> put(String key, byte[] bytes, String mediaType);

	/** The blob, or empty when there is none. */
	Mono<Blob> get(String key);

	/** Deletes the blob; deleting a missing one succeeds. */
	Mono<Void> delete(String key);

	/** Keys are ours to make; anything else (paths, dots) is refused before touching storage. */
	static String checkKey(String key) {
		if (key == null || !key.matches("[0-9a-f]{64}\\.(jpg|png)")) {
			throw new IllegalArgumentException("Not a blob key: " + key);
		}
		return key;
	}

	static String mediaTypeOf(String key) {
		return key.endsWith(".png") ? "image/png" : "image/jpeg";
	}

}
