package dev.bookmarks.platform.outbox;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids as time-ordered UUIDs (version 7, RFC 9562): they index well in the outbox and in
 * processed-event tables, and making one never blocks. {@code UUID.randomUUID()} reads the
 * kernel's entropy through a file on Linux, a blocking call BlockHound catches on event loops.
 * Event ids need to be unique, not secret.
 */
public final class EventIds {

	private EventIds() {
	}

	public static UUID next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long millis = System.currentTimeMillis();
		long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low);
	}

}
