package dev.bookmarks.ranking.web;

import dev.bookmarks.platform.security.BookmarksJwt;
import dev.bookmarks.ranking.rebuild.RankingRebuild;
import dev.bookmarks.ranking.store.Generations;
import dev.bookmarks.ranking.store.RankingStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rebuilding the rankings from Kafka after Redis lost them: admins only (role ADMIN in the
 * token's {@value BookmarksJwt#ROLES} claim). The rebuild runs in the background; its progress
 * shows in the status (a generation being rebuilt, then a new serving generation).
 */
@RestController
@RequestMapping("/api/rankings/rebuild")
@Tag(name = "Rankings")
class RebuildController {

	static final String ADMIN = "ROLE_ADMIN";

	private final RankingRebuild rebuild;

	private final RankingStore store;

	RebuildController(RankingRebuild rebuild, RankingStore store) {
		this.rebuild = rebuild;
		this.store = store;
	}

	@PostMapping
	@Operation(summary = "Rebuild the rankings from Kafka (admins)", description = "After Redis lost them; role "
			+ "`ADMIN`. Runs in the background: the answer shows the generation being rebuilt.")
	@ApiResponse(responseCode = "202", description = "Started.")
	@ApiResponse(responseCode = "403", description = "Not an admin.")
	@ApiResponse(responseCode = "409", description = "A rebuild is already running.")
	Mono<ResponseEntity<Generations>> start() {
		return admin().then(rebuild.start())
			.switchIfEmpty(Mono.error(RebuildRunningException::new))
			.flatMap(generation -> store.generations())
			.map(status -> ResponseEntity.status(HttpStatus.ACCEPTED).body(status));
	}

	@GetMapping
	@Operation(summary = "The rebuild's progress (admins)", description = "Role `ADMIN`; `rebuilding` is null when "
			+ "none runs.")
	@ApiResponse(responseCode = "200", description = "The serving generation, and the one being rebuilt if any.",
			useReturnTypeSchema = true)
	@ApiResponse(responseCode = "403", description = "Not an admin.")
	Mono<Generations> status() {
		return admin().then(store.generations());
	}

	private static Mono<Void> admin() {
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter(RebuildController::isAdmin)
			.switchIfEmpty(Mono.error(() -> new AccessDeniedException("Rebuilding the rankings is for admins")))
			.then();
	}

	private static boolean isAdmin(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (ADMIN.equals(authority.getAuthority())) {
				return true;
			}
		}
		return false;
	}

}
