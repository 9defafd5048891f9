package dev.bookmarks.platform.blockhound;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Spring Data Redis hands out its one shared Lettuce connection under a lock
 * ({@code LettuceConnectionFactory.doInLock}) on every reactive command, from whichever thread subscribes, event loops
 * included. The lock is held only to read the field once the connection exists (it is opened at start-up), but when
 * two threads ask at the same instant one of them parks for that moment, and BlockHound fails the command: seen once
 * in ranking-service's rebuild (its replay thread and a Lettuce event loop), a failure no production run can have.
 * Every service's tests load this (the platform-starter test-jar), so none of them flakes on it.
 */
public class RedisBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
				"doInLock");
	}

}
