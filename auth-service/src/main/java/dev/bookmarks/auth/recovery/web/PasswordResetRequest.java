package dev.bookmarks.auth.recovery.web;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/accounts/password-reset}. */
record PasswordResetRequest(
		@NotBlank(message = "This field is required.")
		@Size(max = 254, message = "Enter an email address of at most 254 characters.")
		@Email(regexp = "[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+", message = "Enter a valid email address.")
		String email) {
}
