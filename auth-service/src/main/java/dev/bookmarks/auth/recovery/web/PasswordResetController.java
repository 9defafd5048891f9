package dev.bookmarks.auth.recovery.web;

import java.util.Map;

import dev.bookmarks.auth.recovery.PasswordResets;
import dev.bookmarks.auth.throttle.ClientAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Password reset by mail, open to anyone. JSON only, which a cross-site HTML form cannot send, and
 * no cookie is read, so no CSRF token is needed.
 */
@RestController
@RequestMapping(path = "/api/accounts/password-reset", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Accounts")
@SecurityRequirements
class PasswordResetController {

	/** The one answer to every request, whether or not the address has an account. */
	private static final Map<String, String> ACCEPTED = Map.of("detail",
			"If an account has this email address, a mail with a link to choose a new password is on its way.");

	private final PasswordResets resets;

	private final ClientAddress clientAddress;

	PasswordResetController(PasswordResets resets, ClientAddress clientAddress) {
		this.resets = resets;
		this.clientAddress = clientAddress;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Ask for a password reset link", description = "The same answer whether or not the address "
			+ "has an account; if it has, a mail with a one-time link (valid 1 hour).",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					examples = @ExampleObject(name = "an address", value = "{\"email\": \"ada@example.com\"}"))))
	@ApiResponse(responseCode = "202", description = "Accepted.")
	@ApiResponse(responseCode = "429", description = "Too many requests from this address.")
	ResponseEntity<Map<String, String>> request(@Valid @RequestBody PasswordResetRequest body,
			HttpServletRequest request) {
		resets.request(body.email(), clientAddress.of(request));
		return ResponseEntity.accepted().body(ACCEPTED);
	}

	@PostMapping(path = "/confirm", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Choose a new password with a reset link's token")
	@ApiResponse(responseCode = "204", description = "Changed; a pending email change is cancelled.")
	@ApiResponse(responseCode = "400", description = "A used, expired or forged token, or a weak password.")
	@ApiResponse(responseCode = "503", description = "Password hashing is busy; `Retry-After`.")
	ResponseEntity<Void> confirm(@Valid @RequestBody PasswordResetConfirmation body) {
		resets.confirm(body.token(), body.newPassword());
		return ResponseEntity.noContent().build();
	}

}
