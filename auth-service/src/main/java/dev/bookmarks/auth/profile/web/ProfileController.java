package dev.bookmarks.auth.profile.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import dev.bookmarks.auth.account.web.AccountResponse;
import dev.bookmarks.auth.account.web.CallerAccount;
import dev.bookmarks.auth.profile.EmailTakenException;
import dev.bookmarks.auth.profile.ProfileService;
import dev.bookmarks.auth.profile.photo.PhotoProcessor;
import dev.bookmarks.auth.profile.photo.ProcessedPhoto;
import dev.bookmarks.auth.profile.photo.UnacceptablePhotoException;
import dev.bookmarks.platform.web.InvalidRequestException;
import dev.bookmarks.platform.web.Problems;
import dev.bookmarks.platform.web.Problems.InvalidField;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
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
class ProfileController {

	static final String EMAIL_TAKEN = "A user with that email address already exists.";

	private final ProfileService profiles;

	private final ProfilePatchReader patches;

	private final PhotoProcessor photos;

	ProfileController(ProfileService profiles, ProfilePatchReader patches, PhotoProcessor photos) {
		this.profiles = profiles;
		this.patches = patches;
		this.photos = photos;
	}

	/** Changes the fields present in the body; {@code null} clears a name or the date of birth. */
	@PatchMapping(consumes = { MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json" })
	AccountResponse update(@RequestBody JsonNode body, @AuthenticationPrincipal Jwt jwt) {
		return AccountResponse.of(profiles.update(CallerAccount.id(jwt), patches.read(body)));
	}

	/** A new photo, from the multipart part {@code file}; the answer carries its {@code photoUrl}. */
	@PutMapping(path = "/photo", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
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

	@ExceptionHandler
	ResponseEntity<ProblemDetail> emailTaken(EmailTakenException ex) {
		ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, EMAIL_TAKEN);
		problem.setProperty("errors", List.of(new InvalidField("email", EMAIL_TAKEN)));
		return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
