package dev.bookmarks.graph.follow;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.bookmarks.events.follow.UserFollowed;
import dev.bookmarks.events.follow.UserUnfollowed;
import dev.bookmarks.graph.directory.DirectoryUser;
import dev.bookmarks.graph.directory.UserDirectory;
import dev.bookmarks.graph.directory.UserNotFoundException;
import dev.bookmarks.graph.web.Caller;
import dev.bookmarks.platform.outbox.ReactiveOutbox;
import dev.bookmarks.platform.web.CursorPage;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Following and unfollowing. The edge, both counts and the event change in one transaction, and
 * only when the edge does: asking twice changes nothing and sends nothing.
 */
@Service
class FollowService {

	private final UserDirectory directory;

	private final FollowEdges edges;

	private final ReactiveOutbox outbox;

	private final TransactionalOperator tx;

	private final Clock clock;

	FollowService(UserDirectory directory, FollowEdges edges, ReactiveOutbox outbox, TransactionalOperator tx,
			Clock clock) {
		this.directory = directory;
		this.edges = edges;
		this.outbox = outbox;
		this.tx = tx;
		this.clock = clock;
	}

	/**
	 * Makes the caller follow the listed person. The caller needs no directory row yet: their
	 * registration may still be on its way, so a placeholder holds their {@code following} count
	 * until it arrives.
	 */
	Mono<Void> follow(Caller caller, String username) {
		return followee(caller, username).flatMap(followee -> {
			Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
			return directory.addPlaceholder(caller.id(), caller.username())
				.then(edges.add(caller.id(), followee.id(), now))
				.filter(added -> added)
				.flatMap(added -> directory.changeFollowCounts(caller.id(), followee.id(), 1)
					.then(outbox.append(new UserFollowed(caller.id(), caller.username(), followee.id(),
							followee.username(), now))));
		}).then().as(tx::transactional);
	}

	Mono<Void> unfollow(Caller caller, String username) {
		return followee(caller, username).flatMap(followee -> edges.remove(caller.id(), followee.id())
			.filter(removed -> removed)
			.flatMap(removed -> directory.changeFollowCounts(caller.id(), followee.id(), -1)
				.then(outbox.append(new UserUnfollowed(caller.id(), followee.id(),
						clock.instant().truncatedTo(ChronoUnit.MICROS))))))
			.then()
			.as(tx::transactional);
	}

	Mono<CursorPage<DirectoryUser>> followers(String username, int limit, String cursor) {
		return list(username, limit, cursor, false);
	}

	Mono<CursorPage<DirectoryUser>> following(String username, int limit, String cursor) {
		return list(username, limit, cursor, true);
	}

	private Mono<CursorPage<DirectoryUser>> list(String username, int limit, String cursor, boolean following) {
		return Mono.defer(() -> {
			FollowPosition after = FollowPosition.decode(cursor);
			return listed(username)
				.flatMap(user -> following ? edges.following(user.id(), after, limit)
						: edges.followers(user.id(), after, limit))
				.map(rows -> {
					CursorPage<FollowEdges.Entry> page = CursorPage.of(rows, limit, entry -> entry.position().encode());
					return new CursorPage<>(page.items().stream().map(FollowEdges.Entry::user).toList(),
							page.nextCursor());
				});
		});
	}

	/** The person to (un)follow: 400 for oneself, 404 for someone not listed. */
	private Mono<DirectoryUser> followee(Caller caller, String username) {
		if (username.equalsIgnoreCase(caller.username())) {
			return Mono.error(new CannotFollowYourselfException());
		}
		return listed(username).flatMap(user -> user.id().equals(caller.id())
				? Mono.<DirectoryUser>error(new CannotFollowYourselfException()) : Mono.just(user));
	}

	private Mono<DirectoryUser> listed(String username) {
		return directory.findListed(username).switchIfEmpty(Mono.error(() -> new UserNotFoundException(username)));
	}

}
