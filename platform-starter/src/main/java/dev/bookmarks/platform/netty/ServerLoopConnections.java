package dev.bookmarks.platform.netty;

import io.netty.channel.EventLoopGroup;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * PostgreSQL connections on the HTTP server's event loops. r2dbc-postgresql otherwise runs its connections on Reactor
 * Netty's TCP loops, a second set of threads beside the server's HTTP loops, so every statement of a request was
 * handed from the request's loop to the connection's and its rows handed back. On the server's loops (with
 * {@link EventLoops}'s one loop: the same thread) a request, its statements and its answer stay on one thread.
 * <p>
 * The loops are looked up each time a connection is opened, not kept: Spring stops the global HTTP resources with an
 * application context and creates them again for the next one (tests start several in one JVM).
 */
@AutoConfiguration
@ConditionalOnClass({ PostgresqlConnectionFactoryProvider.class, HttpResources.class,
		ConnectionFactoryOptionsBuilderCustomizer.class })
public class ServerLoopConnections {

	@Bean
	ConnectionFactoryOptionsBuilderCustomizer connectionsOnTheServersEventLoops() {
		return options -> options.option(PostgresqlConnectionFactoryProvider.LOOP_RESOURCES, new HttpLoops());
	}

	/** The current global HTTP loops (clients get the server's loops, colocated); never disposed from here. */
	static final class HttpLoops implements LoopResources {

		@Override
		public EventLoopGroup onServer(boolean useNative) {
			return HttpResources.get().onServer(useNative);
		}

		@Override
		public EventLoopGroup onClient(boolean useNative) {
			return HttpResources.get().onClient(useNative);
		}

		@Override
		public EventLoopGroup onServerSelect(boolean useNative) {
			return HttpResources.get().onServerSelect(useNative);
		}

		@Override
		public <C extends io.netty.channel.Channel> Class<? extends C> onChannelClass(Class<C> channelType,
				EventLoopGroup group) {
			return HttpResources.get().onChannelClass(channelType, group);
		}

		@Override
		public <C extends io.netty.channel.Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
			return HttpResources.get().onChannel(channelType, group);
		}

		@Override
		public boolean daemon() {
			return HttpResources.get().daemon();
		}

		@Override
		public Mono<Void> disposeLater() {
			return Mono.empty();
		}

		@Override
		public boolean isDisposed() {
			return false;
		}

	}

}
