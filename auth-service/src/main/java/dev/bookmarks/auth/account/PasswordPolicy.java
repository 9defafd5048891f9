package dev.bookmarks.auth.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * What makes a password acceptable: 10 to 128 characters, not entirely digits, not one of the
 * common passwords, and not too like the person's username or the local part of their email.
 */
@Component
public class PasswordPolicy {

	public static final int MIN_LENGTH = 10;

	public static final int MAX_LENGTH = 128;

	/** Parts of a username or email shorter than this are too generic to compare. */
	private static final int MIN_SIMILAR_PART = 3;

	private static final Pattern SEPARATORS = Pattern.compile("[\\W_]+", Pattern.UNICODE_CHARACTER_CLASS);

	/**
	 * zxcvbn's list of the 30,000 most common passwords (from breach corpora, most common first,
	 * one per line), read from the {@code com.nulab-inc:zxcvbn} jar.
	 */
	static final String COMMON_PASSWORDS = "com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt";

	private final Set<String> commonPasswords;

	public PasswordPolicy() {
		this(new ClassPathResource(COMMON_PASSWORDS));
	}

	PasswordPolicy(Resource commonPasswords) {
		this.commonPasswords = load(commonPasswords);
	}

	/** How many common passwords are refused. */
	int commonPasswordCount() {
		return commonPasswords.size();
	}

	/** The reasons the password is refused, in a stable order; empty when it is acceptable. */
	public List<String> problems(String password, String username, String email) {
		List<String> problems = new ArrayList<>();
		int length = password.codePointCount(0, password.length());
		if (length < MIN_LENGTH) {
			problems.add("This password is too short. It must contain at least " + MIN_LENGTH + " characters.");
		}
		if (length > MAX_LENGTH) {
			problems.add("This password is too long. It must contain at most " + MAX_LENGTH + " characters.");
		}
		if (!password.isEmpty() && password.chars().allMatch(Character::isDigit)) {
			problems.add("This password is entirely numeric.");
		}
		String lower = password.toLowerCase(Locale.ROOT);
		if (commonPasswords.contains(lower)) {
			problems.add("This password is too common.");
		}
		if (username != null && isSimilar(lower, parts(username))) {
			problems.add("This password is too similar to the username.");
		}
		if (email != null && isSimilar(lower, parts(localPart(email)))) {
			problems.add("This password is too similar to the email address.");
		}
		return problems;
	}

	private static boolean isSimilar(String password, Set<String> parts) {
		for (String part : parts) {
			if (part.length() >= MIN_SIMILAR_PART && (password.contains(part) || part.contains(password))) {
				return true;
			}
		}
		return false;
	}

	/** The value itself and its pieces between separators, lower-cased. */
	private static Set<String> parts(String value) {
		String lower = value.toLowerCase(Locale.ROOT);
		Set<String> parts = new LinkedHashSet<>();
		parts.add(lower);
		for (String part : SEPARATORS.split(lower)) {
			if (!part.isEmpty()) {
				parts.add(part);
			}
		}
		return parts;
	}

	private static String localPart(String email) {
		int at = email.lastIndexOf('@');
		return at < 0 ? email : email.substring(0, at);
	}

	private static Set<String> load(Resource resource) {
		Set<String> passwords = new HashSet<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				String password = line.strip();
				if (!password.isEmpty()) {
					passwords.add(password.toLowerCase(Locale.ROOT));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the common password list " + resource, ex);
		}
		return Set.copyOf(passwords);
	}

}
