package dev.bookmarks.platform.netty;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventLoopsTest {

	@Test
	void aProcessRunsOneEventLoopUnlessToldOtherwise() {
		assertThat(EventLoops.count("LOOPS", null)).isEqualTo(1);
		assertThat(EventLoops.count("LOOPS", " ")).isEqualTo(1);
		assertThat(EventLoops.count("LOOPS", " 4 ")).isEqualTo(4);
	}

	@Test
	void aNumberOfEventLoopsThatIsNotAPositiveWholeNumberStopsTheStart() {
		for (String wrong : new String[] { "0", "-2", "two", "1.5", "257" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> EventLoops.count("BOOKMARKS_EVENT_LOOPS", wrong))
				.withMessageContaining("BOOKMARKS_EVENT_LOOPS")
				.withMessageContaining(wrong);
		}
	}

}
