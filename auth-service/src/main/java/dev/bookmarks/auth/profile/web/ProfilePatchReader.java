package dev.bookmarks.auth.profile.web;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bookmarks.auth.account.AccountService;
import dev.bookmarks.auth.profile.ProfileChanges;
import dev.bookmarks.auth.profile.ProfileChanges.Change;
import dev.bookmarks.platform.web.InvalidRequestException;
import dev.bookmarks.platform.web.Problems.InvalidField;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Reads a profile patch. A bean with nullable fields cannot tell an absent field from a
 * {@code null} one, and a patch needs that difference: absent keeps the value, {@code null} (or a
 * blank name) clears it. The email cannot be cleared, and a new one needs {@code currentPassword}.
 * Any other field is refused rather than silently ignored, so that a client sending
 * {@code username} or {@code photoUrl} learns at once that they do not change here.
 */
@Component
class ProfilePatchReader {

	static final int MAX_NAME_LENGTH = 150;

	static final LocalDate EARLIEST_DATE_OF_BIRTH = LocalDate.of(1900, 1, 1);

	private static final Set<String> FIELDS = Set.of("firstName", "lastName", "email", "dateOfBirth",
			"currentPassword");

	private final Validator validator;

	private final Clock clock;

	ProfilePatchReader(Validator validator, ObjectProvider<Clock> clock) {
		this.validator = validator;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/**
	 * A patch: the changes made at once, and a new email address (null when absent) with the
	 * password that must come with it.
	 */
	record ProfilePatch(ProfileChanges changes, String email, String currentPassword) {

		@Override
		public String toString() {
			return "ProfilePatch[changes=" + changes + ", email=" + email + "]";
		}

	}

	/** @throws InvalidRequestException naming every field that is wrong */
	ProfilePatch read(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw new InvalidRequestException("body", "Send a JSON object with the fields to change.");
		}
		List<InvalidField> errors = new ArrayList<>();
		for (Map.Entry<String, JsonNode> field : body.properties()) {
			if (!FIELDS.contains(field.getKey())) {
				errors.add(new InvalidField(field.getKey(),
						"This field cannot be changed here; only firstName, lastName, email and dateOfBirth can."));
			}
		}
		ProfileChanges changes = new ProfileChanges(name(body, "firstName", errors), name(body, "lastName", errors),
				dateOfBirth(body, errors));
		Change<String> email = email(body, errors);
		String currentPassword = body.has("email") ? currentPassword(body, errors) : null;
		if (!errors.isEmpty()) {
			errors.sort(Comparator.comparing(InvalidField::field).thenComparing(InvalidField::message));
			throw new InvalidRequestException(errors);
		}
		return new ProfilePatch(changes, email == null ? null : email.value(), currentPassword);
	}

	/** Whoever changes the address that password resets go to must know the password. */
	private static String currentPassword(JsonNode body, List<InvalidField> errors) {
		JsonNode value = body.get("currentPassword");
		if (value == null || value.isNull()) {
			errors.add(new InvalidField("currentPassword", "Enter your password to change the email address."));
			return null;
		}
		if (!value.isString()) {
			errors.add(new InvalidField("currentPassword", "Enter a text."));
			return null;
		}
		return value.asString();
	}

	private static Change<String> name(JsonNode body, String field, List<InvalidField> errors) {
		if (!body.has(field)) {
			return null;
		}
		JsonNode value = body.get(field);
		if (value.isNull()) {
			return new Change<>(null);
		}
		if (!value.isString()) {
			errors.add(new InvalidField(field, "Enter a text."));
			return null;
		}
		String name = value.asString().strip();
		if (name.length() > MAX_NAME_LENGTH) {
			errors.add(new InvalidField(field, "Ensure this value has at most 150 characters."));
			return null;
		}
		return new Change<>(name.isEmpty() ? null : name);
	}

	private Change<String> email(JsonNode body, List<InvalidField> errors) {
		if (!body.has("email")) {
			return null;
		}
		JsonNode value = body.get("email");
		if (value.isNull()) {
			errors.add(new InvalidField("email", "This field may not be null."));
			return null;
		}
		if (!value.isString()) {
			errors.add(new InvalidField("email", "Enter a valid email address."));
			return null;
		}
		String email = value.asString();
		List<String> problems = validator.validate(new EmailAddress(email))
			.stream()
			.map(violation -> violation.getMessage())
			.sorted()
			.toList();
		if (!problems.isEmpty()) {
			problems.forEach(problem -> errors.add(new InvalidField("email", problem)));
			return null;
		}
		return new Change<>(AccountService.normalizeEmail(email));
	}

	private Change<LocalDate> dateOfBirth(JsonNode body, List<InvalidField> errors) {
		if (!body.has("dateOfBirth")) {
			return null;
		}
		JsonNode value = body.get("dateOfBirth");
		if (value.isNull()) {
			return new Change<>(null);
		}
		LocalDate date;
		try {
			if (!value.isString()) {
				throw new DateTimeParseException("not a string", value.toString(), 0);
			}
			date = LocalDate.parse(value.asString());
		}
		catch (DateTimeParseException ex) {
			errors.add(new InvalidField("dateOfBirth", "Enter a valid date as YYYY-MM-DD."));
			return null;
		}
		if (date.isBefore(EARLIEST_DATE_OF_BIRTH)) {
			errors.add(new InvalidField("dateOfBirth", "Enter a date from 1900-01-01 on."));
			return null;
		}
		if (!date.isBefore(LocalDate.now(clock))) {
			errors.add(new InvalidField("dateOfBirth", "Enter a date in the past."));
			return null;
		}
		return new Change<>(date);
	}

	/** The same rules as at registration. */
	record EmailAddress(
			@NotBlank(message = "This field may not be blank.")
			@Size(max = 254, message = "Enter an email address of at most 254 characters.")
			@Email(regexp = "[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+", message = "Enter a valid email address.")
			String email) {
	}

}
