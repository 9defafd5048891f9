package dev.bookmarks.bookmark.image;

import java.text.Normalizer;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * URL slugs from titles. Unlike the original site, a title with no Latin letters ("日本語") still
 * gets a slug ("image"), so the detail page always has a URL.
 */
final class Slugs {

	static final int MAX_LENGTH = 80;

	private Slugs() {
	}

	static String of(String title) {
		String ascii = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
		String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
		if (slug.length() > MAX_LENGTH) {
			slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
		}
		return slug.isEmpty() ? "image" : slug;
	}

	/** Tries at one slug: the plain one, then random suffixes (a clash is a one in 2 billion chance). */
	static final int MAX_ATTEMPTS = 5;

	private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

	/**
	 * The base slug with six random letters or digits, {@code title-k3x9qa}. ThreadLocalRandom: a
	 * slug need not be unguessable, and it never blocks (it may run on an event loop).
	 */
	static String withRandomSuffix(String base) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		StringBuilder slug = new StringBuilder(base.length() + 7).append(base).append('-');
		for (int i = 0; i < 6; i++) {
			slug.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
		}
		return slug.toString();
	}

}
