package dev.bookmarks.activity.action;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a batch of events does to the projections and the action log, reduced so that each row is
 * written once by a few multi-row statements. The reduction gives what applying the events one by
 * one in their order gives, because every write is already decided by event times, not by order
 * of arrival:
 * <ul>
 * <li>a profile: the newest one (the first of equal times); a mere mention adds a row only where
 * no profile does;</li>
 * <li>an image: the title of its newest version (the first of equal times), the first thumbnail,
 * the first deletion time;</li>
 * <li>a follow edge: the newest change, an unfollow winning at equal times;</li>
 * <li>a removal (unlike, unfollow): the latest time;</li>
 * <li>occurrences of the 60-second rule: all of them; actions are derived from the whole set, so
 * their order does not matter. Occurrences of an image deleted in the same batch (or before) are
 * left out, as the one-by-one order would leave them out or delete them.</li>
 * </ul>
 */
final class Effects {

	record Profile(String username, String photoUrl, Instant at) {
	}

	record Image(String title, String thumbnailUrl, Instant at) {
	}

	record Edge(UUID followerId, UUID followeeId) {
	}

	record Change(boolean following, Instant at) {
	}

	/** An occurrence of a key; {@code image} is the image that must still exist, if any. */
	record Occurrence(ActionKey key, Instant at, UUID image) {
	}

	final Map<UUID, String> mentioned = new LinkedHashMap<>();

	final Map<UUID, Profile> profiles = new LinkedHashMap<>();

	final Map<UUID, Image> images = new LinkedHashMap<>();

	final Set<UUID> imagesMentioned = new LinkedHashSet<>();

	final Map<UUID, Instant> imagesDeleted = new LinkedHashMap<>();

	final Map<Edge, Change> edges = new LinkedHashMap<>();

	final Map<ActionKey, Instant> removals = new LinkedHashMap<>();

	final List<Occurrence> occurrences = new ArrayList<>();

	void mentioned(UUID id, String username) {
		if (username != null && !username.isBlank()) {
			mentioned.putIfAbsent(id, username);
		}
	}

	void profile(UUID id, String username, String photoUrl, Instant at) {
		Instant time = ActionLog.time(at).toInstant();
		profiles.merge(id, new Profile(username, photoUrl, time),
				(kept, next) -> next.at().isAfter(kept.at()) ? next : kept);
	}

	void image(UUID id, String title, String thumbnailUrl, Instant at) {
		Instant time = ActionLog.time(at).toInstant();
		images.merge(id, new Image(title, thumbnailUrl, time), (kept, next) -> {
			Image newer = next.at().isAfter(kept.at()) ? next : kept;
			String thumbnail = kept.thumbnailUrl() != null ? kept.thumbnailUrl() : next.thumbnailUrl();
			return new Image(newer.title(), thumbnail, newer.at());
		});
	}

	void imageMentioned(UUID id) {
		imagesMentioned.add(id);
	}

	void imageDeleted(UUID id, Instant at) {
		imagesDeleted.putIfAbsent(id, ActionLog.time(at).toInstant());
	}

	void edge(UUID followerId, UUID followeeId, boolean following, Instant at) {
		Instant time = ActionLog.time(at).toInstant();
		edges.merge(new Edge(followerId, followeeId), new Change(following, time), (kept, next) -> {
			int order = next.at().compareTo(kept.at());
			return order > 0 || (order == 0 && !next.following()) ? next : kept;
		});
	}

	void removedUntil(ActionKey key, Instant until) {
		removals.merge(key, ActionLog.time(until).toInstant(), (a, b) -> a.isAfter(b) ? a : b);
	}

	void occurred(ActionKey key, Instant at, UUID image) {
		occurrences.add(new Occurrence(key, ActionLog.time(at).toInstant(), image));
	}

	/** The people to write: profiles, and mentions of those without one. */
	Map<UUID, Profile> people() {
		Map<UUID, Profile> people = new LinkedHashMap<>();
		mentioned.forEach((id, username) -> {
			if (!profiles.containsKey(id)) {
				people.put(id, new Profile(username, null, null));
			}
		});
		people.putAll(profiles);
		return people;
	}

	/** Keys whose writers must take turns: all those this batch touches. */
	Set<ActionKey> keys() {
		Set<ActionKey> keys = new LinkedHashSet<>(removals.keySet());
		occurrences.forEach(occurrence -> keys.add(occurrence.key()));
		return keys;
	}

	/** Images whose existence decides whether an occurrence counts. */
	Set<UUID> imagesToCheck() {
		Set<UUID> ids = new LinkedHashSet<>();
		occurrences.forEach(occurrence -> {
			if (occurrence.image() != null) {
				ids.add(occurrence.image());
			}
		});
		return ids;
	}

}
