package dev.bookmarks.bookmark.image.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies of the image API, validated as docs/api.md says. */
final class ImageRequests {

	private ImageRequests() {
	}

	record Create(@NotNull(message = "is required") @Size(max = 2000, message = "must be at most 2000 characters") String url,
			@NotBlank(message = "is required") @Size(max = 200, message = "must be 1 to 200 characters") String title,
			@Size(max = 2000, message = "must be at most 2000 characters") String description) {
	}

	record Update(@Size(min = 1, max = 200, message = "must be 1 to 200 characters")
			@Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String title,
			@Size(max = 2000, message = "must be at most 2000 characters") String description) {
	}

}
