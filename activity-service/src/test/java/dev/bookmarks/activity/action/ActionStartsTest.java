package dev.bookmarks.activity.action;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where actions start, from the sorted event times of one (actor, verb, target). */
class ActionStartsTest {

	private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

	@Test
	void occurrencesLessThanSixtySecondsAfterAStartBelongToIt() {
		assertThat(ActionLog.starts(List.of(T, T.plusSeconds(30), T.plusMillis(59_999)))).containsExactly(T);
	}

	@Test
	void anOccurrenceSixtySecondsAfterTheStartStartsTheNextAction() {
		assertThat(ActionLog.starts(List.of(T, T.plusSeconds(60)))).containsExactly(T, T.plusSeconds(60));
	}

	/** Measured from the start, not from the previous occurrence: a steady trickle still makes one action a minute. */
	@Test
	void aChainOfCloseOccurrencesStartsAnActionEveryMinute() {
		assertThat(ActionLog.starts(List.of(T, T.plusSeconds(50), T.plusSeconds(100), T.plusSeconds(150))))
			.containsExactly(T, T.plusSeconds(100));
	}

	@Test
	void noOccurrencesNoActions() {
		assertThat(ActionLog.starts(List.of())).isEmpty();
	}

}
