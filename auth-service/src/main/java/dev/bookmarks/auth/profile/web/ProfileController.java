package dev.bookmarks.auth.profile.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

import dev.bookmarks.auth.account.web.AccountResponse;
import dev.bookmarks.auth.account.web.CallerAccount;
import dev.bookmarks.auth.profile.EmailChanges;
import dev.bookmarks.auth.profile.ProfileService;
import dev.bookmarks.auth.profile.photo.PhotoProcessor;
import dev.bookmarks.auth.profile.photo.ProcessedPhoto;
import dev.bookmarks.auth.profile.photo.UnacceptablePhotoException;
import dev.bookmarks.auth.profile.web.ProfilePatchReader.ProfilePatch;
import dev.bookmarks.auth.throttle.ClientAddress;
import dev.bookmarks.platform.web.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** The caller's own profile: {@code PATCH /api/accounts/me} and its photo. */
@RestController
@RequestMapping(path = "/api/accounts/me", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Accounts")
class ProfileController {

	private final ProfileService profiles;

	private final ProfilePatchReader patches;

	private final PhotoProcessor photos;

	private final EmailChanges emailChanges;

	private final ClientAddress clientAddress;

	ProfileController(ProfileService profiles, ProfilePatchReader patches, PhotoProcessor photos,
			EmailChanges emailChanges, ClientAddress clientAddress) {
		this.profiles = profiles;
		this.patches = patches;
		this.photos = photos;
		this.emailChanges = emailChanges;
		this.clientAddress = clientAddress;
	}

	/**
	 * Changes the fields present in the body; {@code null} clears a name or the date of birth. 200
	 * with the account; with {@code email} (and {@code currentPassword}), 202 with the account still
	 * showing its old address and the new one as {@code pendingEmail}: the new address must confirm
	 * it. The 202 is the same whether or not another account has that address.
	 */
	@PatchMapping(consumes = { MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json" })
	@Operation(summary = "Change the caller's profile or email address", description = "Fields present change, "
			+ "`null` clears a name or the date of birth. With `email` (and `currentPassword`) the new address gets a "
			+ "confirmation link and the answer is 202 with `pendingEmail`.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(type = "object", description = "firstName, lastName, dateOfBirth; or email with currentPassword"),
					examples = { @ExampleObject(name = "names", value = "{\"firstName\": \"Ada\", \"lastName\": \"King\"}"),
							@ExampleObject(name = "email address", value = "{\"email\": \"ada@example.org\", \"currentPassword\": \"analytical engine 1843\"}") })))
	@ApiResponse(responseCode = "200", description = "The account.")
	@ApiResponse(responseCode = "202", description = "The account, with the address asked for as `pendingEmail`.")
	@ApiResponse(responseCode = "429", description = "Over 5 email change requests in an hour.")
	ResponseEntity<AccountResponse> update(@RequestBody JsonNode body, @AuthenticationPrincipal Jwt jwt,
			HttpServletRequest request) {
		UUID accountId = CallerAccount.id(jwt);
		ProfilePatch patch = patches.read(body);
		if (patch.email() == null) {
			return ResponseEntity.ok(AccountResponse.of(profiles.update(accountId, patch.changes())));
		}
		AccountResponse account = AccountResponse.of(emailChanges.request(accountId, patch.changes(), patch.email(),
				patch.currentPassword(), clientAddress.of(request)));
		return ResponseEntity.accepted().body(account.withPendingEmail(patch.email()));
	}

	/** A new photo, from the multipart part {@code file}; the answer carries its {@code photoUrl}. */
	@PutMapping(path = "/photo", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@Operation(summary = "Change the caller's photo", description = "Multipart part `file`: JPEG, PNG, GIF or WebP, at "
			+ "most 5 MiB and 40 megapixels; stored as a 256x256 JPEG served at `photoUrl`.")
	@ApiResponse(responseCode = "200", description = "The account with its new `photoUrl`.")
	@ApiResponse(responseCode = "400", description = "Not an acceptable picture; `errors` names `file`.")
	@ApiResponse(responseCode = "503", description = "Too many photos are being processed.")
	AccountResponse changePhoto(@RequestPart(name = "file", required = false) MultipartFile file,
			@AuthenticationPrincipal Jwt jwt) {
		UUID accountId = CallerAccount.id(jwt);
		if (file == null) {
			throw new InvalidRequestException("file", "Choose a photo to upload as the part named file.");
		}
		if (file.getSize() > PhotoProcessor.MAX_BYTES) {
			throw new InvalidRequestException("file", "The photo must be at most 5 MiB.");
		}
		ProcessedPhoto photo;
		try {
			photo = photos.process(file.getBytes());
		}
		catch (UnacceptablePhotoException ex) {
			throw new InvalidRequestException("file", ex.getMessage());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return AccountResponse.of(profiles.changePhoto(accountId, photo));
	}

}
