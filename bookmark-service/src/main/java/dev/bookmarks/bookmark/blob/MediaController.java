package dev.bookmarks.bookmark.blob;

import java.time.Duration;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves stored pictures. Keys are content hashes, so a URL's bytes never change: cached for a
 * year, immutable, with the hash as ETag. Public like any image on the web.
 */
@RestController
@Tag(name = "Media", description = "Stored pictures: public, cached for a year.")
class MediaController {

	private static final CacheControl FOREVER = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

	private final BlobStore blobs;

	MediaController(BlobStore blobs) {
		this.blobs = blobs;
	}

	@GetMapping("/media/images/{key}")
	@SecurityRequirements
	@Operation(summary = "A stored picture", description = "By its content hash (`<sha256>.jpg` or `.png`), as "
			+ "`imageUrl`, `thumbnailUrl` and `detailUrl` name it. Immutable: cached for a year, the hash is the ETag.")
	@ApiResponse(responseCode = "200", description = "The picture.", content = {
			@Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
			@Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")) })
	@ApiResponse(responseCode = "304", description = "Not modified (`If-None-Match`).")
	@ApiResponse(responseCode = "404", description = "No such picture.")
	Mono<ResponseEntity<byte[]>> picture(@PathVariable String key,
			@RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
		if (!key.matches("[0-9a-f]{64}\\.(jpg|png)")) {
			return Mono.just(ResponseEntity.notFound().build());
		}
		String etag = "\"" + key.substring(0, 64) + "\"";
		if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
			return Mono.just(ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(FOREVER).build());
		}
		return blobs.get(key)
			.map(blob -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(blob.mediaType()))
				.eTag(etag)
				.cacheControl(FOREVER)
				.header("X-Content-Type-Options", "nosniff")
				.body(blob.bytes()))
			.defaultIfEmpty(ResponseEntity.notFound().build());
	}

}
