package dev.bookmarks.auth.role.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.bookmarks.auth.account.Account;
import dev.bookmarks.auth.account.AccountService;
import dev.bookmarks.auth.role.Role;
import dev.bookmarks.auth.role.RoleService;
import dev.bookmarks.platform.web.InvalidRequestException;
import dev.bookmarks.platform.web.Problems.InvalidField;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What admins do with other people's accounts. Only {@code ADMIN} reaches it (WebSecurity), so a
 * 404 here tells nothing to anyone else.
 */
@RestController
@RequestMapping(path = "/api/admin/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin", description = "Other people's accounts and roles: role `ADMIN` only.")
class AdminAccountController {

	private static final String KNOWN_ROLES = Arrays.stream(Role.values())
		.map(Role::name)
		.collect(Collectors.joining(", "));

	private final AccountService accounts;

	private final RoleService roles;

	AdminAccountController(AccountService accounts, RoleService roles) {
		this.accounts = accounts;
		this.roles = roles;
	}

	@GetMapping("/{id}")
	@Operation(summary = "An account with its roles (admins)")
	AdminAccountResponse one(@PathVariable UUID id) {
		return AdminAccountResponse.of(accounts.find(id).orElseThrow(AdminAccountController::notFound));
	}

	/** Replaces the account's roles; {@code USER} stays whether it is listed or not. */
	@PutMapping(path = "/{id}/roles", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Set an account's roles (admins)", description = "`USER` stays whether listed or not.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					examples = @ExampleObject(name = "a moderator", value = "{\"roles\": [\"USER\", \"MODERATOR\"]}"))))
	AdminAccountResponse setRoles(@PathVariable UUID id, @RequestBody RolesRequest request) {
		Account account = roles.setRoles(id, parse(request)).orElseThrow(AdminAccountController::notFound);
		return AdminAccountResponse.of(account);
	}

	private static Set<Role> parse(RolesRequest request) {
		if (request.roles() == null) {
			throw new InvalidRequestException("roles", "This field is required: a list of role names (" + KNOWN_ROLES
					+ ").");
		}
		Set<Role> parsed = EnumSet.noneOf(Role.class);
		List<InvalidField> errors = new ArrayList<>();
		for (String name : request.roles()) {
			Role.named(name)
				.ifPresentOrElse(parsed::add, () -> errors.add(new InvalidField("roles",
						"\"" + name + "\" is not a role; the roles are " + KNOWN_ROLES + ".")));
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		return parsed;
	}

	private static ResponseStatusException notFound() {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no account with that id.");
	}

	/** The body of {@code PUT /api/admin/accounts/{id}/roles}. */
	record RolesRequest(List<String> roles) {
	}

}
