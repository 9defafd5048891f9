package dev.bookmarks.bookmark.image.web;

import java.net.URI;
import java.util.UUID;

import dev.bookmarks.bookmark.image.Caller;
import dev.bookmarks.bookmark.image.ImageQueries;
import dev.bookmarks.bookmark.image.ImageService;
import dev.bookmarks.bookmark.image.MediaUrls;
import dev.bookmarks.bookmark.image.ViewCounter;
import dev.bookmarks.platform.web.CursorPage;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The images API of docs/api.md. */
@RestController
@RequestMapping("/api/images")
class ImageController {

	private final ImageService images;

	private final ImageQueries queries;

	private final ViewCounter views;

	private final MediaUrls media;

	ImageController(ImageService images, ImageQueries queries, ViewCounter views, MediaUrls media) {
		this.images = images;
		this.queries = queries;
		this.views = views;
		this.media = media;
	}

	@PostMapping
	Mono<ResponseEntity<ImageResponse>> save(@AuthenticationPrincipal Jwt jwt,
			@Valid @RequestBody ImageRequests.Create request) {
		return images
			.save(Caller.of(jwt), request.url().trim(), request.title().trim(),
					request.description() == null ? "" : request.description().trim())
			.map(row -> ResponseEntity.created(URI.create(media.publicOrigin() + "/api/images/" + row.id()))
				.body(ImageResponse.of(row, media)));
	}

	@GetMapping
	Mono<CursorPage<ImageResponse>> list(@AuthenticationPrincipal Jwt jwt,
			@RequestParam(required = false) String owner, @RequestParam(required = false) String likedBy,
			@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
		return Mono.defer(() -> queries.list(Caller.of(jwt), owner, likedBy, CursorPage.limit(limit), cursor))
			.map(page -> new CursorPage<>(page.items().stream().map(row -> ImageResponse.of(row, media)).toList(),
					page.nextCursor()));
	}

	@GetMapping("/{id}")
	Mono<ImageResponse> one(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
		Caller caller = Caller.of(jwt);
		return images.find(id, caller).doOnEach(signal -> {
			if (signal.isOnNext()) {
				views.viewed(id, caller.id(), signal.getContextView());
			}
		}).map(row -> ImageResponse.of(row, media));
	}

	@PatchMapping("/{id}")
	Mono<ImageResponse> update(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
			@Valid @RequestBody ImageRequests.Update request) {
		return images
			.update(id, Caller.of(jwt), request.title() == null ? null : request.title().trim(),
					request.description() == null ? null : request.description().trim())
			.map(row -> ImageResponse.of(row, media));
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
		return images.delete(id, Caller.of(jwt));
	}

	@PutMapping("/{id}/like")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> like(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
		return images.like(id, Caller.of(jwt));
	}

	@DeleteMapping("/{id}/like")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> unlike(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
		return images.unlike(id, Caller.of(jwt));
	}

	@GetMapping("/{id}/likers")
	Mono<CursorPage<ImageQueries.LikerView>> likers(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
			@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
		return Mono.defer(() -> queries.likers(Caller.of(jwt), id, CursorPage.limit(limit), cursor));
	}


}
