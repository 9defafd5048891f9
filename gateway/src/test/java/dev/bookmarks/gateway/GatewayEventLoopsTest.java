package dev.bookmarks.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GatewayEventLoopsTest {

	@Test
	void theGatewayRunsOneEventLoopUnlessToldOtherwise() {
		assertThat(GatewayApplication.eventLoops(null)).isEqualTo(1);
		assertThat(GatewayApplication.eventLoops(" ")).isEqualTo(1);
		assertThat(GatewayApplication.eventLoops(" 4 ")).isEqualTo(4);
	}

	@Test
	void aNumberOfEventLoopsThatIsNotAPositiveWholeNumberStopsTheStart() {
		for (String wrong : new String[] { "0", "-2", "two", "1.5", "257" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> GatewayApplication.eventLoops(wrong))
				.withMessageContaining(GatewayApplication.EVENT_LOOPS_ENV)
				.withMessageContaining(wrong);
		}
	}

}
