package dev.bookmarks.auth.profile.web;

import java.util.List;

import dev.bookmarks.auth.profile.EmailChanges;
import dev.bookmarks.auth.profile.EmailTakenException;
import dev.bookmarks.platform.web.Problems;
import dev.bookmarks.platform.web.Problems.InvalidField;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/accounts/email-change/confirm}, open to anyone: the token from the mail is the
 * proof. JSON only, which a cross-site HTML form cannot send, and no cookie is read, so no CSRF
 * token is needed. 204; 400 for a used, expired or forged token; 409 when another account took
 * the address in the meantime.
 */
@RestController
@Tag(name = "Accounts")
class EmailChangeController {

	static final String EMAIL_TAKEN = "A user with that email address already exists.";

	private final EmailChanges emailChanges;

	EmailChangeController(EmailChanges emailChanges) {
		this.emailChanges = emailChanges;
	}

	@PostMapping(path = "/api/accounts/email-change/confirm", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@SecurityRequirements
	@Operation(summary = "Confirm a new email address", description = "With the token of the link mailed to the new "
			+ "address (valid 24 hours); open to anyone, the token is the proof.")
	@ApiResponse(responseCode = "204", description = "The new address is the account's.")
	@ApiResponse(responseCode = "400", description = "A used, expired, cancelled or forged token.")
	@ApiResponse(responseCode = "409", description = "Another account took the address meanwhile.")
	ResponseEntity<Void> confirm(@Valid @RequestBody Confirmation body) {
		emailChanges.confirm(body.token());
		return ResponseEntity.noContent().build();
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> emailTaken(EmailTakenException ex) {
		ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, EMAIL_TAKEN);
		problem.setProperty("errors", List.of(new InvalidField("email", EMAIL_TAKEN)));
		return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	/** The body; the token is never logged. */
	record Confirmation(
			@NotBlank(message = "This field is required.")
			@Size(max = 100, message = EmailChanges.INVALID_LINK)
			String token) {

		@Override
		public String toString() {
			return "Confirmation[token=(hidden)]";
		}

	}

}
