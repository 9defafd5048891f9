package dev.bookmarks.auth.credentials.web;

import dev.bookmarks.auth.account.web.CallerAccount;
import dev.bookmarks.auth.credentials.PasswordChange;
import dev.bookmarks.auth.throttle.ClientAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/accounts/me/password}: 204, or 400 naming the field that is wrong; 503 with
 * {@code Retry-After} when no password hashing permit comes free in time.
 */
@RestController
@Tag(name = "Accounts")
class PasswordChangeController {

	private final PasswordChange passwordChange;

	private final ClientAddress clientAddress;

	PasswordChangeController(PasswordChange passwordChange, ClientAddress clientAddress) {
		this.passwordChange = passwordChange;
		this.clientAddress = clientAddress;
	}

	@PostMapping(path = "/api/accounts/me/password", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Change the caller's password", description = "The account's other sessions and refresh "
			+ "tokens stop working; a pending email change is cancelled. A wrong current password counts like a failed login.")
	@ApiResponse(responseCode = "204", description = "Changed.")
	@ApiResponse(responseCode = "400", description = "Wrong current password or a weak new one.")
	@ApiResponse(responseCode = "503", description = "Password hashing is busy; `Retry-After`.")
	ResponseEntity<Void> change(@Valid @RequestBody PasswordChangeRequest request, @AuthenticationPrincipal Jwt jwt,
			HttpServletRequest http) {
		passwordChange.change(CallerAccount.id(jwt), request.currentPassword(), request.newPassword(),
				clientAddress.of(http));
		return ResponseEntity.noContent().build();
	}

	/** The body; never logged with its values. */
	record PasswordChangeRequest(@NotNull(message = "This field is required.") String currentPassword,
			@NotNull(message = "This field is required.") String newPassword) {

		@Override
		public String toString() {
			return "PasswordChangeRequest[...]";
		}

	}

}
