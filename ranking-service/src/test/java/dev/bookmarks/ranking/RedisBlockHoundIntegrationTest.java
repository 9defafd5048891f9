package dev.bookmarks.ranking;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.bookmarks.devinfra.TestInfrastructure;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** BlockHound as this service's tests install it, with platform-starter's integrations (its test-jar) loaded. */
class RedisBlockHoundIntegrationTest {

	@Test
	void aReactiveCommandThatWaitsForTheSharedConnectionsLockOnANonBlockingThreadIsAllowed() throws Exception {
		BlockHound.install();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(
				TestInfrastructure.redis().host(), TestInfrastructure.redis().port()));
		factory.afterPropertiesSet();
		factory.start();
		try {
			ReentrantLock lock = (ReentrantLock) ReflectionTestUtils.getField(factory, "lock");
			// This thread holds the lock, as at the instant two threads ask for the shared connection at once.
			lock.lock();
			CompletableFuture<String> ping;
			try {
				ping = Mono.defer(() -> {
					ReactiveRedisConnection connection = factory.getReactiveConnection();
					return connection.ping();
				}).subscribeOn(Schedulers.parallel()).toFuture();
				await().atMost(Duration.ofSeconds(10)).until(lock::hasQueuedThreads);
			}
			finally {
				lock.unlock();
			}
			assertThat(ping.get(10, TimeUnit.SECONDS)).isEqualTo("PONG");
		}
		finally {
			factory.destroy();
		}
	}

}
