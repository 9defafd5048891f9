package dev.bookmarks.bookmark.image;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

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

	/** The base slug if free, else the first free {@code base-2}, {@code base-3}, ... */
	static String firstFree(String base, List<String> taken) {
		if (!taken.contains(base)) {
			return base;
		}
		for (int n = 2;; n++) {
			String candidate = base + "-" + n;
			if (!taken.contains(candidate)) {
				return candidate;
			}
		}
	}

}
