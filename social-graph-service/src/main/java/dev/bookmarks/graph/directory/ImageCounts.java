package dev.bookmarks.graph.directory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A batch of image events reduced to one change per owner that gives what applying them one by one
 * in order gives. One event maps a count {@code x} to {@code x + 1} (a new image) or to
 * {@code max(0, x - 1)} (a deletion, never below zero); any sequence of them composes to
 * {@code x -> max(floor, x + delta)}: adding one gives {@code max(floor + 1, x + delta + 1)}, a
 * deletion {@code max(0, floor - 1, x + delta - 1)}. A null floor is no floor (only new images).
 */
final class ImageCounts {

	/**
	 * One owner's change.
	 * @param added whether any event of the batch added an image (then a missing owner gets a
	 * placeholder row, as one such event alone would)
	 * @param username the owner's name as the first new image gave it, for a placeholder
	 */
	record Change(UUID owner, boolean added, String username, Long floor, long delta) {

		/** The count after this change. */
		long applyTo(long count) {
			return floor == null ? count + delta : Math.max(floor, count + delta);
		}

	}

	private final Map<UUID, Change> changes = new LinkedHashMap<>();

	/** One more image of this owner. */
	void added(UUID owner, String username) {
		changes.merge(owner, new Change(owner, true, username, null, 1), (kept, next) -> new Change(owner, true,
				kept.added() ? kept.username() : username, kept.floor() == null ? null : kept.floor() + 1,
				kept.delta() + 1));
	}

	/** One image fewer of this owner, never below zero. */
	void removed(UUID owner) {
		changes.merge(owner, new Change(owner, false, null, 0L, -1), (kept, next) -> new Change(owner, kept.added(),
				kept.username(), kept.floor() == null ? 0L : Math.max(0L, kept.floor() - 1), kept.delta() - 1));
	}

	/** The changes in owner order (rows are written in one order by every writer). */
	List<Change> changes() {
		List<Change> sorted = new ArrayList<>(changes.values());
		sorted.sort(Comparator.comparing(Change::owner));
		return sorted;
	}

}
