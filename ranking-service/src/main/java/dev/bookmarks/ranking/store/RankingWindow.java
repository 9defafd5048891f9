package dev.bookmarks.ranking.store;

/** The time a ranking covers, in UTC days: all time, the current day, the current day and the 6 before it. */
public enum RankingWindow {

	ALL(0), DAY(1), WEEK(7);

	private final int days;

	RankingWindow(int days) {
		this.days = days;
	}

	int days() {
		return days;
	}

}
