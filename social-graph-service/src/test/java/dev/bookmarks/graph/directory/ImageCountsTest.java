package dev.bookmarks.graph.directory;

import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageCountsTest {

	@Test
	void aReducedBatchGivesWhatApplyingItsEventsOneByOneGives() {
		Random random = new Random(7);
		UUID owner = UUID.randomUUID();
		for (int run = 0; run < 2_000; run++) {
			ImageCounts counts = new ImageCounts();
			long start = random.nextInt(4);
			long oneByOne = start;
			int events = 1 + random.nextInt(12);
			for (int i = 0; i < events; i++) {
				if (random.nextBoolean()) {
					counts.added(owner, "ada");
					oneByOne++;
				}
				else {
					counts.removed(owner);
					oneByOne = Math.max(0, oneByOne - 1);
				}
			}
			assertThat(counts.changes()).hasSize(1);
			assertThat(counts.changes().get(0).applyTo(start)).as("run %d from %d", run, start).isEqualTo(oneByOne);
		}
	}

	@Test
	void onlyAnOwnerWithANewImageGetsAPlaceholderNamedByTheFirstImage() {
		UUID ada = UUID.fromString("00000000-0000-0000-0000-000000000001");
		UUID bob = UUID.fromString("00000000-0000-0000-0000-000000000002");
		ImageCounts counts = new ImageCounts();
		counts.removed(bob);
		counts.removed(ada);
		counts.added(ada, "ada");
		counts.added(ada, "ada-renamed");

		assertThat(counts.changes()).extracting(ImageCounts.Change::owner).containsExactly(ada, bob);
		ImageCounts.Change first = counts.changes().get(0);
		assertThat(first.added()).isTrue();
		assertThat(first.username()).isEqualTo("ada");
		assertThat(first.applyTo(0)).isEqualTo(2);
		assertThat(first.applyTo(5)).isEqualTo(6);
		ImageCounts.Change second = counts.changes().get(1);
		assertThat(second.added()).isFalse();
		assertThat(second.applyTo(0)).isZero();
		assertThat(second.applyTo(3)).isEqualTo(2);
	}

}
