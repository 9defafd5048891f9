package dev.bookmarks.auth.account.web;

import dev.bookmarks.auth.account.NewAccount;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/accounts}. */
@AcceptablePassword
record RegistrationRequest(
		@NotNull(message = "This field is required.")
		@Size(min = 1, max = 150, message = "Enter a username of 1 to 150 characters.")
		@Pattern(regexp = "[\\p{L}\\p{Nd}@.+\\-_]*",
				message = "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.")
		String username,

		@NotBlank(message = "This field is required.")
		@Size(max = 254, message = "Enter an email address of at most 254 characters.")
		// Bean Validation's @Email alone accepts "a@b"; also ask for a dot in the domain.
		@Email(regexp = "[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+", message = "Enter a valid email address.")
		String email,

		@NotNull(message = "This field is required.")
		String password,

		@Size(max = 150, message = "Ensure this value has at most 150 characters.")
		String firstName,

		@Size(max = 150, message = "Ensure this value has at most 150 characters.")
		String lastName) {

	NewAccount toNewAccount() {
		return new NewAccount(username, email, password, firstName, lastName);
	}

	@Override
	public String toString() {
		return "RegistrationRequest[username=" + username + ", email=" + email + "]";
	}

}
