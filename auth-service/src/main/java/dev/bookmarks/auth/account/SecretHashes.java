package dev.bookmarks.auth.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How bearer secrets (reset tokens, used refresh tokens) are stored: as SHA-256 only, so a copy of
 * the database hands out nothing usable. High-entropy secrets need no salt or slow hash.
 */
public final class SecretHashes {

	private SecretHashes() {
	}

	public static byte[] sha256(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

}
