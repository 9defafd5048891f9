package dev.bookmarks.activity;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class ActivityConfiguration {

	@Bean
	ReactiveRedisMessageListenerContainer redisListener(ReactiveRedisConnectionFactory connections) {
		return new ReactiveRedisMessageListenerContainer(connections);
	}

}
