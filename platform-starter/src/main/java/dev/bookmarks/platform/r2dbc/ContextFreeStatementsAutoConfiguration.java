package dev.bookmarks.platform.r2dbc;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Every {@link DatabaseClient} of the service runs its statements with {@link ContextFreeStatements}: Spring Boot's
 * own client, rebuilt on the same connection factory (which is all Spring Boot configures on it).
 */
@AutoConfiguration
@ConditionalOnClass({ DatabaseClient.class, io.r2dbc.spi.ConnectionFactory.class })
public class ContextFreeStatementsAutoConfiguration {

	@Bean
	static BeanPostProcessor contextFreeDatabaseClients() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DatabaseClient client) {
					return DatabaseClient.builder()
						.connectionFactory(client.getConnectionFactory())
						.executeFunction(new ContextFreeStatements())
						.build();
				}
				return bean;
			}
		};
	}

}
