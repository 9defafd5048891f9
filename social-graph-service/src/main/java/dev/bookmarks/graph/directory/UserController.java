package dev.bookmarks.graph.directory;

import dev.bookmarks.platform.web.CursorPage;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The public user directory of docs/api.md, {@code GET /api/users}. */
@RestController
@RequestMapping("/api/users")
class UserController {

	private final UserDirectory directory;

	UserController(UserDirectory directory) {
		this.directory = directory;
	}

	@GetMapping
	Mono<CursorPage<DirectoryUser>> list(@RequestParam(required = false) Integer limit,
			@RequestParam(required = false) String cursor) {
		return Mono.defer(() -> {
			int size = CursorPage.limit(limit);
			String after = CursorPage.decodeCursor(cursor);
			return directory.listActive(after, size).map(rows -> CursorPage.of(rows, size, DirectoryUser::username));
		});
	}

}
