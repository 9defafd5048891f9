package dev.bookmarks.auth.federation;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A username for an account that a social login creates, from what the provider calls the person
 * (preferred_username, GitHub's login, the local part of the email address), within the rules of
 * registration: 1 to 150 of {@code A-Z a-z 0-9 @ . + - _}.
 * <p>
 * Everything from an {@code @} on is dropped, so that a username never looks like an email address
 * and cannot take someone's address away from them. Accents are removed ({@code José} becomes
 * {@code Jose}), then every other character outside the rules. A name that is taken, as a username
 * or as an email address and ignoring case, gets the first free number appended within the 150
 * characters ({@code ada2}, {@code ada3}, ...).
 */
final class UsernameDerivation {

	static final int MAX_LENGTH = 150;

	static final String FALLBACK = "user";

	private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

	private static final Pattern DISALLOWED = Pattern.compile("[^A-Za-z0-9.+\\-_]+");

	/** Numbers tried in order before random ones, when a popular name has many takers. */
	private static final int SEQUENTIAL_SUFFIXES = 50;

	private static final int RANDOM_SUFFIXES = 50;

	private static final Random RANDOM = new SecureRandom();

	private UsernameDerivation() {
	}

	/**
	 * @param hints candidates in order of preference, any of them null
	 * @param isTaken whether a name is some account's username or email address, ignoring case
	 */
	static String derive(List<String> hints, Predicate<String> isTaken) {
		String base = hints.stream()
			.map(UsernameDerivation::clean)
			.filter(name -> !name.isEmpty())
			.findFirst()
			.orElse(FALLBACK);
		if (!isTaken.test(base)) {
			return base;
		}
		for (int suffix = 2; suffix < 2 + SEQUENTIAL_SUFFIXES; suffix++) {
			String candidate = withSuffix(base, suffix);
			if (!isTaken.test(candidate)) {
				return candidate;
			}
		}
		for (int attempt = 0; attempt < RANDOM_SUFFIXES; attempt++) {
			String candidate = withSuffix(base, 1_000 + RANDOM.nextInt(99_999_000));
			if (!isTaken.test(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("No free username found for " + base);
	}

	/** The hint within the rules, possibly empty. */
	static String clean(String hint) {
		if (hint == null) {
			return "";
		}
		String name = hint.strip();
		int at = name.indexOf('@');
		if (at >= 0) {
			name = name.substring(0, at);
		}
		name = COMBINING_MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD)).replaceAll("");
		name = DISALLOWED.matcher(name).replaceAll("");
		return name.length() > MAX_LENGTH ? name.substring(0, MAX_LENGTH) : name;
	}

	private static String withSuffix(String base, int number) {
		String suffix = Integer.toString(number);
		return base.substring(0, Math.min(base.length(), MAX_LENGTH - suffix.length())) + suffix;
	}

}
