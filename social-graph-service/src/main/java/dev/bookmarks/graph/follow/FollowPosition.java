package dev.bookmarks.graph.follow;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.bookmarks.platform.web.CursorPage;
import dev.bookmarks.platform.web.InvalidRequestException;

/** Where a follow list's page ends: the follow's time, and the listed person's id to break ties. */
record FollowPosition(Instant at, UUID id) {

	static final FollowPosition START = new FollowPosition(null, null);

	boolean isStart() {
		return at == null;
	}

	String encode() {
		return ChronoUnit.MICROS.between(Instant.EPOCH, at) + "_" + id;
	}

	static FollowPosition decode(String cursor) {
		String value = CursorPage.decodeCursor(cursor);
		if (value == null) {
			return START;
		}
		try {
			String[] parts = value.split("_", 2);
			return new FollowPosition(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS),
					UUID.fromString(parts[1]));
		}
		catch (RuntimeException ex) {
			throw new InvalidRequestException("cursor", "is not a cursor returned by this list");
		}
	}

}
