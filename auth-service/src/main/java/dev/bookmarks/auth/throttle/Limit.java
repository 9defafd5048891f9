package dev.bookmarks.auth.throttle;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * At most {@code max} attempts within any {@code window}.
 *
 * @param max how many attempts the window allows
 * @param window the length of the sliding window
 */
public record Limit(@Positive int max, @NotNull Duration window) {

	@Override
	public String toString() {
		return max + " per " + window;
	}

}
