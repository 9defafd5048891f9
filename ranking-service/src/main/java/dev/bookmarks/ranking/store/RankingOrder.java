package dev.bookmarks.ranking.store;

/** What images are ranked by: views counted, or likes (the current count, or gained in a window). */
public enum RankingOrder {

	VIEWS("views"), LIKES("likes");

	private final String key;

	RankingOrder(String key) {
		this.key = key;
	}

	String key() {
		return key;
	}

}
