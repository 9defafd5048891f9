package dev.bookmarks.graph.directory;

import dev.bookmarks.graph.web.Caller;
import dev.bookmarks.graph.web.PageLimit;
import dev.bookmarks.platform.web.CursorPage;
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
class UserController {

	private final UserDirectory directory;

	UserController(UserDirectory directory) {
		this.directory = directory;
	}

	@GetMapping
	Mono<CursorPage<DirectoryUser>> list(@RequestParam(required = false) String limit,
			@RequestParam(required = false) String cursor) {
		return Mono.defer(() -> {
			int size = PageLimit.of(limit);
			String after = CursorPage.decodeCursor(cursor);
			return directory.listActive(after, size).map(rows -> CursorPage.of(rows, size, DirectoryUser::username));
		});
	}

	@GetMapping("/{username}")
	Mono<UserProfile> one(@AuthenticationPrincipal Jwt jwt, @PathVariable String username) {
		return Mono.defer(() -> directory.profile(username, Caller.of(jwt).id()))
			.switchIfEmpty(Mono.error(() -> new UserNotFoundException(username)));
	}

}
