package dev.bookmarks.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a cursor-paged list: {@code {"items": [...], "nextCursor": "..." | null}}.
 * Cursors are opaque to clients: base64url of the sort key of the last item.
 */
public record CursorPage<T>(List<T> items, String nextCursor) {

	public static final int DEFAULT_LIMIT = 20;

	public static final int MAX_LIMIT = 100;

	/** The page size to use, or a 400 for one outside 1..100. */
	public static int limit(Integer requested) {
		if (requested == null) {
			return DEFAULT_LIMIT;
		}
		if (requested < 1 || requested > MAX_LIMIT) {
			throw new InvalidRequestException("limit", "must be between 1 and " + MAX_LIMIT);
		}
		return requested;
	}

	public static String encodeCursor(String key) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
	}

	/** The sort key inside a cursor, {@code null} for the first page, or a 400 for a forged one. */
	public static String decodeCursor(String cursor) {
		if (cursor == null || cursor.isEmpty()) {
			return null;
		}
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("cursor", "is not a cursor returned by this list");
		}
	}

	/**
	 * Builds a page from up to {@code limit + 1} rows: the extra row only tells that a next page
	 * exists.
	 */
	public static <T> CursorPage<T> of(List<T> rows, int limit, Function<T, String> sortKey) {
		if (rows.size() <= limit) {
			return new CursorPage<>(rows, null);
		}
		List<T> items = rows.subList(0, limit);
		return new CursorPage<>(List.copyOf(items), encodeCursor(sortKey.apply(items.get(limit - 1))));
	}

}
