package dev.bookmarks.auth.recovery.web;

import java.util.Map;

import dev.bookmarks.auth.recovery.PasswordResets;
import dev.bookmarks.auth.throttle.ClientAddress;
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
	ResponseEntity<Map<String, String>> request(@Valid @RequestBody PasswordResetRequest body,
			HttpServletRequest request) {
		resets.request(body.email(), clientAddress.of(request));
		return ResponseEntity.accepted().body(ACCEPTED);
	}

	@PostMapping(path = "/confirm", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Void> confirm(@Valid @RequestBody PasswordResetConfirmation body) {
		resets.confirm(body.token(), body.newPassword());
		return ResponseEntity.noContent().build();
	}

}
