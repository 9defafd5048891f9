package dev.bookmarks.bookmark.image.web;

import java.net.URI;
import java.util.UUID;

import dev.bookmarks.bookmark.image.Caller;
import dev.bookmarks.bookmark.image.ImageQueries;
import dev.bookmarks.bookmark.image.ImageService;
import dev.bookmarks.bookmark.image.MediaUrls;
import dev.bookmarks.bookmark.image.ViewCounter;
import dev.bookmarks.platform.web.CursorPage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Images", description = "Pictures saved from anywhere on the web: the server downloads, checks and "
		+ "stores them; reading, editing, deleting and liking them.")
class ImageController {

	static final String SAVE_EXAMPLE = """
			{"url": "https://example.com/photos/sunset.jpg", "title": "Sunset", "description": "Over the bay"}""";

	static final String IMAGE_EXAMPLE = """
			{"id": "0b6f7c1e-3a55-4a4e-9a4b-6f1d2a3b4c5d", "slug": "sunset", "title": "Sunset",
			 "description": "Over the bay", "sourceUrl": "https://example.com/photos/sunset.jpg",
			 "imageUrl": "https://bookmarks.example/media/images/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg",
			 "thumbnailUrl": "https://bookmarks.example/media/images/2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae.jpg",
			 "detailUrl": "https://bookmarks.example/media/images/fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9.jpg",
			 "width": 4032, "height": 3024, "owner": {"id": "5d2c1b0a-9e8f-4d7c-8b6a-1f2e3d4c5b6a", "username": "ada"},
			 "likeCount": 3, "likedByMe": false, "createdAt": "2026-05-01T12:00:00Z"}""";

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
	@Operation(summary = "Save a picture from the web", description = "The server downloads the picture itself "
			+ "(public internet addresses on allowed ports only, at most 10 MiB and 50 megapixels; JPEG, PNG, GIF or "
			+ "WebP), turns it upright, re-encodes it without metadata with a thumbnail and a detail picture, and "
			+ "answers once it is stored.", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(examples = @ExampleObject(name = "a picture", value = SAVE_EXAMPLE))))
	@ApiResponse(responseCode = "201", description = "Saved; `Location` names the image.",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = ImageResponse.class),
					examples = @ExampleObject(name = "the image", value = IMAGE_EXAMPLE)))
	@ApiResponse(responseCode = "400", description = "Not http(s), not a public address or an allowed port, not an "
			+ "image, too large, or no answer within 10 s; `errors` names `url`.")
	@ApiResponse(responseCode = "409", description = "You already saved that URL; `existingId` names your image.")
	@ApiResponse(responseCode = "503", description = "The download or decode budget is full: try again after "
			+ "`Retry-After` (5 s). Nothing was stored.")
	Mono<ResponseEntity<ImageResponse>> save(@AuthenticationPrincipal Jwt jwt,
			@Valid @RequestBody ImageRequests.Create request) {
		return images
			.save(Caller.of(jwt), request.url().trim(), request.title().trim(),
					request.description() == null ? "" : request.description().trim())
			.map(row -> ResponseEntity.created(URI.create(media.publicOrigin() + "/api/images/" + row.id()))
				.body(ImageResponse.of(row, media)));
	}

	@GetMapping
	@Operation(summary = "List images, newest first")
	Mono<CursorPage<ImageResponse>> list(@AuthenticationPrincipal Jwt jwt,
			@Parameter(description = "Only this person's images: an id or a username.") @RequestParam(required = false) String owner,
			@Parameter(description = "Only images this person liked: an id or a username.") @RequestParam(required = false) String likedBy,
			@Parameter(description = "Page size, 1 to 100 (20).") @RequestParam(required = false) Integer limit,
			@Parameter(description = "`nextCursor` of the page before.") @RequestParam(required = false) String cursor) {
		return Mono.defer(() -> queries.list(Caller.of(jwt), owner, likedBy, CursorPage.limit(limit), cursor))
			.map(page -> new CursorPage<>(page.items().stream().map(row -> ImageResponse.of(row, media)).toList(),
					page.nextCursor()));
	}

	@GetMapping("/{id}")
	@Operation(summary = "Read one image", description = "Each call counts one view in the rankings.")
	@ApiResponse(responseCode = "200", description = "The image.",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = ImageResponse.class),
					examples = @ExampleObject(name = "the image", value = IMAGE_EXAMPLE)))
	Mono<ImageResponse> one(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
		Caller caller = Caller.of(jwt);
		return images.find(id, caller).doOnEach(signal -> {
			if (signal.isOnNext()) {
				views.viewed(id, caller.id(), signal.getContextView());
			}
		}).map(row -> ImageResponse.of(row, media));
	}

	@PatchMapping("/{id}")
	@Operation(summary = "Change an image's title or description", description = "The owner only; fields left out "
			+ "stay as they are.", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(examples = @ExampleObject(name = "a new title", value = "{\"title\": \"Sunset at the bay\"}"))))
	Mono<ImageResponse> update(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
			@Valid @RequestBody ImageRequests.Update request) {
		return images
			.update(id, Caller.of(jwt), request.title() == null ? null : request.title().trim(),
					request.description() == null ? null : request.description().trim())
			.map(row -> ImageResponse.of(row, media));
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Delete an image", description = "The owner or a moderator only.")
	Mono<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
		return images.delete(id, Caller.of(jwt));
	}

	@PutMapping("/{id}/like")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Like an image", description = "Idempotent: liking twice counts once.")
	Mono<Void> like(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
		return images.like(id, Caller.of(jwt));
	}

	@DeleteMapping("/{id}/like")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Take a like back", description = "Idempotent.")
	Mono<Void> unlike(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
		return images.unlike(id, Caller.of(jwt));
	}

	@GetMapping("/{id}/likers")
	@Operation(summary = "The people who liked an image", description = "Cursor-paged (`limit`, `cursor`).")
	Mono<CursorPage<ImageQueries.LikerView>> likers(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
			@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
		return Mono.defer(() -> queries.likers(Caller.of(jwt), id, CursorPage.limit(limit), cursor));
	}


}
