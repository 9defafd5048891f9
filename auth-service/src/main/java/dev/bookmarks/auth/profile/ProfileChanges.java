package dev.bookmarks.auth.profile;

import java.time.LocalDate;

/**
 * What a {@code PATCH /api/accounts/me} asks to change right away, already validated and
 * normalised; the email address changes only through {@link EmailChanges}. A {@code null}
 * component means the field was absent and stays as it is; a {@link Change} holding {@code null}
 * clears the field (JSON Merge Patch, RFC 7396).
 */
public record ProfileChanges(Change<String> firstName, Change<String> lastName, Change<LocalDate> dateOfBirth) {

	/** A new value for one field, possibly {@code null} to clear it. */
	public record Change<T>(T value) {
	}

	public boolean isEmpty() {
		return firstName == null && lastName == null && dateOfBirth == null;
	}

}
