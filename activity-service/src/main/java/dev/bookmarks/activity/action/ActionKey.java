package dev.bookmarks.activity.action;

import java.util.UUID;

/** Who did what to what: the actions of one key obey the 60-second rule together. */
record ActionKey(UUID actorId, Verb verb, UUID targetId) {

	/** Stands for "no target" in the key columns, which are never NULL so that they can be compared. */
	static final UUID NO_TARGET = new UUID(0, 0);

	static ActionKey of(UUID actorId, Verb verb, UUID targetId) {
		return new ActionKey(actorId, verb, targetId == null ? NO_TARGET : targetId);
	}

	/** Text for the advisory lock that serialises the writers of one key. */
	String lockName() {
		return "action:" + actorId + ":" + verb.json() + ":" + targetId;
	}

}
