package dev.bookmarks.graph.web;

import dev.bookmarks.platform.web.CursorPage;
import dev.bookmarks.platform.web.InvalidRequestException;

/**
 * Reads {@code ?limit=} as text, so that a non-number is a 400 naming the parameter like any
 * other bad limit (a binding failure would not name it).
 */
public final class PageLimit {

	private PageLimit() {
	}

	public static int of(String limit) {
		if (limit == null || limit.isEmpty()) {
			return CursorPage.limit(null);
		}
		int requested;
		try {
			requested = Integer.parseInt(limit.trim());
		}
		catch (NumberFormatException ex) {
			throw new InvalidRequestException("limit", "must be a whole number between 1 and " + CursorPage.MAX_LIMIT);
		}
		return CursorPage.limit(requested);
	}

}
