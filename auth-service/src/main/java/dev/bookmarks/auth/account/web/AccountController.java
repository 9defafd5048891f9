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
class AccountController {

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
	ResponseEntity<AccountResponse> register(@Valid @RequestBody RegistrationRequest request) {
		Account account = accounts.register(request.toNewAccount());
		// The public path, as clients call it through the gateway (not auth-service's own /auth prefix).
		URI location = URI.create(publicOrigin + "/api/accounts/" + account.id());
		return ResponseEntity.created(location).body(AccountResponse.of(account));
	}

	@GetMapping("/me")
	AccountResponse me(@AuthenticationPrincipal Jwt jwt) {
		return AccountResponse.of(ownAccount(jwt));
	}

	/** The account named in a registration's {@code Location}; only its owner may read it. */
	@GetMapping("/{id}")
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
