package dev.bookmarks.graph.follow;

import dev.bookmarks.graph.directory.DirectoryUser;
import dev.bookmarks.graph.web.Caller;
import dev.bookmarks.graph.web.PageLimit;
import dev.bookmarks.platform.web.CursorPage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Following people, and who follows whom: the people API of API.md. */
@RestController
@RequestMapping("/api/users/{username}")
@Tag(name = "People")
class FollowController {

	private final FollowService follows;

	FollowController(FollowService follows) {
		this.follows = follows;
	}

	@PutMapping("/follow")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Follow someone", description = "Idempotent; the counts change in the same transaction.")
	@ApiResponse(responseCode = "400", description = "You cannot follow yourself.")
	Mono<Void> follow(@AuthenticationPrincipal Jwt jwt, @PathVariable String username) {
		return Mono.defer(() -> follows.follow(Caller.of(jwt), username));
	}

	@DeleteMapping("/follow")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Unfollow someone", description = "Idempotent.")
	Mono<Void> unfollow(@AuthenticationPrincipal Jwt jwt, @PathVariable String username) {
		return Mono.defer(() -> follows.unfollow(Caller.of(jwt), username));
	}

	@GetMapping("/followers")
	@Operation(summary = "Who follows someone", description = "Newest follow first, cursor-paged.")
	Mono<CursorPage<DirectoryUser>> followers(@PathVariable String username,
			@RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
		return Mono.defer(() -> follows.followers(username, PageLimit.of(limit), cursor));
	}

	@GetMapping("/following")
	@Operation(summary = "Whom someone follows", description = "Newest follow first, cursor-paged.")
	Mono<CursorPage<DirectoryUser>> following(@PathVariable String username,
			@RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
		return Mono.defer(() -> follows.following(username, PageLimit.of(limit), cursor));
	}

}
