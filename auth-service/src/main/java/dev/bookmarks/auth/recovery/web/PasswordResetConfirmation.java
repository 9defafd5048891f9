package dev.bookmarks.auth.recovery.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/accounts/password-reset/confirm}; the password policy is checked later. */
record PasswordResetConfirmation(
		@NotBlank(message = "This field is required.")
		@Size(max = 100, message = "This password reset link is invalid, used or expired. Ask for a new one.")
		String token,

		@NotNull(message = "This field is required.")
		String newPassword) {

	@Override
	public String toString() {
		return "PasswordResetConfirmation[token=(hidden), newPassword=(hidden)]";
	}

}
