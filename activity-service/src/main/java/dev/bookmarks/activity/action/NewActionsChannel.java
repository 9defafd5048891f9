package dev.bookmarks.activity.action;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Tells every instance's live streams that actions were written: Redis pub/sub, published after
 * the commit by whichever instance applied the event. A message is only a hint (actor and
 * transaction) that wakes each instance's dispatcher, which reads the actions themselves from the
 * database by commit order, whoever hinted them; so a lost message delays an action on an open
 * stream until the next dispatch, and never loses it.
 */
@Component
public class NewActionsChannel {

	static final ChannelTopic TOPIC = ChannelTopic.of("bookmarks.activity.new-actions");

	private static final Log log = LogFactory.getLog(NewActionsChannel.class);

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveRedisConnectionFactory connections;

	NewActionsChannel(ReactiveStringRedisTemplate redis, ReactiveRedisConnectionFactory connections) {
		this.redis = redis;
		this.connections = connections;
	}

	/**
	 * Publishes after the commit, one hint per transaction (a dispatch reads every action of the transactions it
	 * covers, whoever their actor, so one message wakes it as well as one per actor would; the message keeps an
	 * actor, the first, so that its form stays {@code tx actorId}); all sent at once on the shared connection;
	 * waits briefly (a Kafka thread). A failure is logged, never retried.
	 */
	void announce(List<NewAction> actions) {
		if (actions.isEmpty()) {
			return;
		}
		Map<Long, String> perTransaction = new LinkedHashMap<>();
		actions.forEach(action -> perTransaction.putIfAbsent(action.tx(), action.message()));
		try {
			Flux.fromIterable(perTransaction.values())
				.flatMap(message -> redis.convertAndSend(TOPIC.getTopic(), message), 64)
				.then()
				.block(Duration.ofSeconds(2));
		}
		catch (RuntimeException ex) {
			log.warn("Could not announce " + actions.size() + " new actions: " + ex);
		}
	}

	/**
	 * Every announcement from now on, from any instance; fails when the subscription does. The
	 * listener connects when subscribed (its constructor connects, and may wait), never at start-up:
	 * the service starts and serves feeds while Redis is away.
	 */
	public Flux<NewAction> announcements() {
		return Mono.fromCallable(() -> new ReactiveRedisMessageListenerContainer(connections))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMapMany(listener -> listener.receive(TOPIC).doFinally(signal -> listener.destroyLater().subscribe()))
			.map(message -> NewAction.parse(message.getMessage()))
			.filter(action -> action != null);
	}

}
