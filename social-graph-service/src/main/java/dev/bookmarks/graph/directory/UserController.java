package dev.bookmarks.graph.directory;

import dev.bookmarks.graph.web.Caller;
import dev.bookmarks.graph.web.PageLimit;
import dev.bookmarks.platform.web.CursorPage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The public user directory of docs/api.md: {@code GET /api/users} and {@code GET /api/users/{username}}. */
@RestController
@RequestMapping("/api/users")
@Tag(name = "People", description = "The user directory, following and unfollowing, followers and following.")
class UserController {

	static final String USER_EXAMPLE = """
			{"id": "5d2c1b0a-9e8f-4d7c-8b6a-1f2e3d4c5b6a", "username": "ada", "displayName": "Ada Lovelace",
			 "photoUrl": null, "followers": 12, "following": 3, "images": 7, "followedByMe": true}""";

	private final UserDirectory directory;

	UserController(UserDirectory directory) {
		this.directory = directory;
	}

	@GetMapping
	@Operation(summary = "List active people", description = "Cursor-paged (`limit` 1 to 100, `cursor`).")
	Mono<CursorPage<DirectoryUser>> list(
			@Parameter(description = "Page size, 1 to 100 (20).") @RequestParam(required = false) String limit,
			@Parameter(description = "`nextCursor` of the page before.") @RequestParam(required = false) String cursor) {
		return Mono.defer(() -> {
			int size = PageLimit.of(limit);
			String after = CursorPage.decodeCursor(cursor);
			return directory.listActive(after, size).map(rows -> CursorPage.of(rows, size, DirectoryUser::username));
		});
	}

	@GetMapping("/{username}")
	@Operation(summary = "One person", description = "With their counts and whether the caller follows them.")
	@ApiResponse(responseCode = "200", description = "The person.",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserProfile.class),
					examples = @ExampleObject(name = "a person", value = USER_EXAMPLE)))
	Mono<UserProfile> one(@AuthenticationPrincipal Jwt jwt, @PathVariable String username) {
		return Mono.defer(() -> directory.profile(username, Caller.of(jwt).id()))
			.switchIfEmpty(Mono.error(() -> new UserNotFoundException(username)));
	}

}
