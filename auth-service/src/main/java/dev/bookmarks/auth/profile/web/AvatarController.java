package dev.bookmarks.auth.profile.web;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bookmarks.auth.profile.photo.AvatarStore;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * Serves profile photos at {@code /media/avatars/{sha256}.jpg}, publicly, to anyone. The name is
 * the hash of the bytes, so they never change: caches may keep them for a year without asking, and
 * a conditional request is answered from the name alone.
 */
@RestController
@Tag(name = "Media", description = "Profile photos: public, cached for a year.")
class AvatarController {

	private static final Pattern FILE_NAME = Pattern.compile("([0-9a-f]{64})\\.jpg");

	private static final CacheControl FOREVER = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

	private final AvatarStore avatars;

	AvatarController(AvatarStore avatars) {
		this.avatars = avatars;
	}

	@GetMapping("/media/avatars/{fileName}")
	@SecurityRequirements
	@Operation(summary = "A profile photo", description = "`<sha256>.jpg`, as an account's `photoUrl` names it; "
			+ "immutable, cached for a year.")
	@ApiResponse(responseCode = "200", description = "The photo.",
			content = @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")))
	@ApiResponse(responseCode = "304", description = "Not modified (`If-None-Match`).")
	@ApiResponse(responseCode = "404", description = "No such photo.")
	ResponseEntity<byte[]> avatar(@PathVariable String fileName, WebRequest request) {
		Matcher name = FILE_NAME.matcher(fileName);
		if (!name.matches()) {
			return ResponseEntity.notFound().build();
		}
		String sha256 = name.group(1);
		String etag = "\"" + sha256 + "\"";
		if (request.checkNotModified(etag)) {
			// Spring has set 304 and the ETag; say again how long it may be kept.
			return ResponseEntity.status(304).cacheControl(FOREVER).eTag(etag).build();
		}
		return avatars.find(sha256)
			.map(avatar -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(avatar.mediaType()))
				.eTag(etag)
				.cacheControl(FOREVER)
				// Bytes we encoded ourselves, but say it anyway: never sniff, never run anything.
				.header("X-Content-Type-Options", "nosniff")
				.header("Content-Security-Policy", "default-src 'none'; sandbox")
				.body(avatar.content()))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

}
