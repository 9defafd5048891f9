package dev.bookmarks.auth.federation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.user.OAuth2User;

/**
 * What another identity provider says about the person signing in, reduced to what a local account
 * takes from it.
 *
 * @param provider the client registration id in our configuration ({@code google}, {@code github})
 * @param subject the provider's stable id of the person: the OIDC {@code sub}, or the user name
 * attribute of a plain OAuth2 provider (GitHub's numeric {@code id})
 * @param usernameHints candidates for the username, best first
 * @param verifiedEmail the address only when the provider says it verified it, else null
 */
record ProviderProfile(String provider, String subject, List<String> usernameHints, String firstName,
		String lastName, String verifiedEmail) {

	private static final int MAX_NAME_LENGTH = 150;

	private static final Pattern PLAUSIBLE_EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

	ProviderProfile {
		usernameHints = Collections.unmodifiableList(new ArrayList<>(usernameHints));
	}

	static ProviderProfile from(String registrationId, OAuth2User user) {
		Map<String, Object> attributes = user.getAttributes();
		String subject = user instanceof OidcUser oidc ? oidc.getSubject() : user.getName();
		String email = text(attributes, StandardClaimNames.EMAIL);
		List<String> hints = new ArrayList<>();
		hints.add(text(attributes, StandardClaimNames.PREFERRED_USERNAME));
		hints.add(text(attributes, "login"));
		hints.add(email);
		String firstName = text(attributes, StandardClaimNames.GIVEN_NAME);
		String lastName = text(attributes, StandardClaimNames.FAMILY_NAME);
		if (firstName == null && lastName == null) {
			// GitHub and some others give one name only; it is shown as is.
			firstName = text(attributes, StandardClaimNames.NAME);
		}
		boolean verified = isTrue(attributes.get(StandardClaimNames.EMAIL_VERIFIED));
		return new ProviderProfile(registrationId, subject, hints, limit(firstName), limit(lastName),
				verified && email != null && email.length() <= 254 && PLAUSIBLE_EMAIL.matcher(email).matches() ? email
						: null);
	}

	// Some providers send the flag as a string.
	private static boolean isTrue(Object value) {
		return Boolean.TRUE.equals(value) || "true".equals(value);
	}

	private static String text(Map<String, Object> attributes, String name) {
		Object value = attributes.get(name);
		if (value == null) {
			return null;
		}
		String text = value.toString().strip();
		return text.isEmpty() ? null : text;
	}

	private static String limit(String name) {
		return name == null || name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
	}

}
