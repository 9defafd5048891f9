package dev.bookmarks.platform.outbox;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTest {

	@Test
	void idsAreVersionSevenUniqueAndOrderedByTime() throws InterruptedException {
		UUID earlier = EventIds.next();
		Thread.sleep(2);
		UUID later = EventIds.next();
		Set<UUID> many = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			many.add(EventIds.next());
		}

		assertThat(earlier.version()).isEqualTo(7);
		assertThat(earlier.variant()).isEqualTo(2);
		assertThat(later.compareTo(earlier)).isPositive();
		assertThat(many).hasSize(100_000);
	}

}
