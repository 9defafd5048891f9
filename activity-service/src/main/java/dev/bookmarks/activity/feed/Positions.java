package dev.bookmarks.activity.feed;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import dev.bookmarks.platform.web.CursorPage;
import dev.bookmarks.platform.web.InvalidRequestException;

/** Where a page or a stream stands, and how clients see it (opaque cursors, SSE ids). */
final class Positions {

	private Positions() {
	}

	/** A place in a newest-first list: before this action. */
	record Before(Instant createdAt, UUID id) {

		String cursor() {
			return CursorPage.encodeCursor(createdAt + "|" + id);
		}

	}

	/** A place in a stream, in commit order: after this action. */
	record After(long tx, UUID id) {

		String eventId() {
			return tx + "_" + id;
		}

	}

	static Before cursor(String cursor) {
		String key = CursorPage.decodeCursor(cursor);
		if (key == null) {
			return null;
		}
		String[] parts = key.split("\\|", -1);
		try {
			if (parts.length == 2) {
				return new Before(Instant.parse(parts[0]), UUID.fromString(parts[1]));
			}
		}
		catch (DateTimeParseException | IllegalArgumentException ex) {
			// answered below
		}
		throw new InvalidRequestException("cursor", "is not a cursor returned by this list");
	}

	static int limit(String limit) {
		if (limit == null) {
			return CursorPage.DEFAULT_LIMIT;
		}
		try {
			return CursorPage.limit(Integer.valueOf(limit.trim()));
		}
		catch (NumberFormatException ex) {
			throw new InvalidRequestException("limit", "must be a whole number between 1 and " + CursorPage.MAX_LIMIT);
		}
	}

	static After lastEventId(String lastEventId) {
		String[] parts = lastEventId.trim().split("_", -1);
		try {
			if (parts.length == 2) {
				long tx = Long.parseLong(parts[0]);
				if (tx >= 0) {
					return new After(tx, UUID.fromString(parts[1]));
				}
			}
		}
		catch (IllegalArgumentException ex) {
			// answered below
		}
		throw new InvalidRequestException("Last-Event-ID", "is not an event id sent by this stream");
	}

}
