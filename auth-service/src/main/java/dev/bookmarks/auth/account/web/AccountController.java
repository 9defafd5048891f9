package dev.bookmarks.auth.account.web;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountField;
import dev.bookmarks.auth.account.AccountService;
import dev.bookmarks.auth.account.AccountTakenException;
import dev.bookmarks.auth.oidc.AuthProperties;
import dev.bookmarks.platform.web.Problems;
import dev.bookmarks.platform.web.Problems.InvalidField;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Registration and the caller's own account. */
@RestController
@RequestMapping(path = "/api/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Accounts", description = "Registration, the caller's own account and profile, password and email changes, "
		+ "password reset by mail.")
class AccountController {

	static final String ACCOUNT_EXAMPLE = """
			{"id": "5d2c1b0a-9e8f-4d7c-8b6a-1f2e3d4c5b6a", "username": "ada", "email": "ada@example.com",
			 "firstName": "Ada", "lastName": "Lovelace", "dateOfBirth": "1815-12-10", "photoUrl": null,
			 "createdAt": "2026-05-01T12:00:00Z"}""";

	private static final Map<AccountField, String> TAKEN_MESSAGES = Map.of(AccountField.USERNAME,
			"A user with that username already exists.", AccountField.EMAIL,
			"A user with that email address already exists.");

	private final AccountService accounts;

	private final String publicOrigin;

	AccountController(AccountService accounts, AuthProperties properties) {
		this.accounts = accounts;
		this.publicOrigin = properties.publicOrigin();
	}

	/**
	 * Open to anyone. It takes JSON only, which a cross-site HTML form cannot send, and it uses no
	 * cookie, so it needs no CSRF token.
	 */
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@SecurityRequirements
	@Operation(summary = "Register an account", description = "Open to anyone. Username 1 to 150 letters, digits and "
			+ "`@.+-_`; a valid email; a password of 10 to 128 characters, not common, not all digits, not too like the "
			+ "username or email.", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					examples = @ExampleObject(name = "a new account", value = """
							{"username": "ada", "email": "ada@example.com", "password": "analytical engine 1843",
							 "firstName": "Ada", "lastName": "Lovelace"}"""))))
	@ApiResponse(responseCode = "201", description = "Created; `Location` names the account.",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccountResponse.class),
					examples = @ExampleObject(name = "the account", value = ACCOUNT_EXAMPLE)))
	@ApiResponse(responseCode = "409", description = "Username or email taken (case-insensitive); `errors` names the field.")
	@ApiResponse(responseCode = "429", description = "Too many registrations from this address.")
	@ApiResponse(responseCode = "503", description = "Password hashing is busy; `Retry-After`.")
	ResponseEntity<AccountResponse> register(@Valid @RequestBody RegistrationRequest request) {
		Account account = accounts.register(request.toNewAccount());
		// The public path, as clients call it through the gateway (not auth-service's own /auth prefix).
		URI location = URI.create(publicOrigin + "/api/accounts/" + account.id());
		return ResponseEntity.created(location).body(AccountResponse.of(account));
	}

	@GetMapping("/me")
	@Operation(summary = "The caller's account")
	@ApiResponse(responseCode = "200", description = "The account.",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccountResponse.class),
					examples = @ExampleObject(name = "the account", value = ACCOUNT_EXAMPLE)))
	AccountResponse me(@AuthenticationPrincipal Jwt jwt) {
		return AccountResponse.of(ownAccount(jwt));
	}

	/** The account named in a registration's {@code Location}; only its owner may read it. */
	@GetMapping("/{id}")
	@Operation(summary = "An account by id (its owner only)", description = "The address a registration's `Location` names.")
	AccountResponse one(@PathVariable UUID id, @AuthenticationPrincipal Jwt jwt) {
		Account account = ownAccount(jwt);
		if (!account.id().equals(id)) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "You may only read your own account.");
		}
		return AccountResponse.of(account);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> taken(AccountTakenException ex) {
		List<InvalidField> errors = ex.fields()
			.stream()
			.sorted(Comparator.naturalOrder())
			.map(field -> new InvalidField(field.jsonName(), TAKEN_MESSAGES.get(field)))
			.toList();
		ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, errors.size() == 1 ? errors.get(0).message()
				: "A user with that username and a user with that email address already exist.");
		problem.setProperty("errors", errors);
		return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private Account ownAccount(Jwt jwt) {
		UUID id;
		try {
			id = UUID.fromString(jwt.getSubject());
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "The token does not name an account.");
		}
		return accounts.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "The account no longer exists."));
	}

}
