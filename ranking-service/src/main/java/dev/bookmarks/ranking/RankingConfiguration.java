package dev.bookmarks.ranking;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The rankings' settings, and the clock that decides which UTC day is today. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RankingProperties.class)
class RankingConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

}
