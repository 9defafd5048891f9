package dev.bookmarks.gateway.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Opens the shared Redis connection at startup. Lettuce opens it on first use and waits for it
 * there, which would block the event loop of the first request (sessions and rate limits use
 * Redis on every call). If Redis is not up yet, the first request opens it.
 */
@Component
class RedisWarmUp implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(RedisWarmUp.class);

	private final ReactiveRedisConnectionFactory connections;

	RedisWarmUp(ReactiveRedisConnectionFactory connections) {
		this.connections = connections;
	}

	@Override
	public void afterSingletonsInstantiated() {
		try {
			ReactiveRedisConnection connection = connections.getReactiveConnection();
			connection.close();
		}
		catch (RuntimeException ex) {
			log.warn("Redis not reachable at startup ({}); the first request will connect", ex.toString());
		}
	}

}
