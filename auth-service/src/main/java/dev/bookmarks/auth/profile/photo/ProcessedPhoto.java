package dev.bookmarks.auth.profile.photo;

import java.util.HexFormat;

/**
 * A profile photo as we store and serve it: freshly encoded bytes (nothing of the upload's
 * metadata survives), named by their SHA-256.
 */
public record ProcessedPhoto(byte[] content, String mediaType, int width, int height, String sha256) {

	static ProcessedPhoto jpeg(byte[] content, int width, int height) {
		return new ProcessedPhoto(content, "image/jpeg", width, height, sha256Of(content));
	}

	/** The file name under {@code /media/avatars/}. */
	public String fileName() {
		return sha256 + ".jpg";
	}

	static String sha256Of(byte[] content) {
		try {
			return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
