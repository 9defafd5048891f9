package dev.bookmarks.bookmark.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import reactor.core.publisher.Mono;

/**
 * Netty's asynchronous DNS client on one event loop of its own. The JDK resolver blocks a thread
 * per lookup for as long as a name server takes (its timeouts add up to far more than the fetch
 * limit), so a silent name server used to tie up the shared bounded elastic threads that blob reads
 * and view events need. Here a lookup is a datagram and a timer: nothing waits, and a query gives
 * up after {@code queryTimeout}, well inside the fetch limit.
 */
final class DnsHostResolver implements HostResolver, AutoCloseable {

	private final EventLoopGroup loop;

	private final DnsNameResolver dns;

	/**
	 * @param nameServers where to ask; empty for the system's (resolv.conf)
	 * @param queryTimeout how long one query may go unanswered
	 */
	DnsHostResolver(List<InetSocketAddress> nameServers, Duration queryTimeout) {
		this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fetch-dns", true),
				NioIoHandler.newFactory());
		DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop.next())
			.datagramChannelType(NioDatagramChannel.class)
			.queryTimeoutMillis(queryTimeout.toMillis())
			// Both A and AAAA: every address a name has is checked, not just the preferred family's.
			.resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
			.completeOncePreferredResolved(false)
			.maxQueriesPerResolve(8)
			// Answers are kept briefly, like the JDK's cache (30 s, 10 s for unknown names): anyone
			// can make us look up names, so the cache must not grow for long.
			.ttl(0, 30)
			.negativeTtl(10);
		if (!nameServers.isEmpty()) {
			builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(nameServers));
		}
		this.dns = builder.build();
	}

	@Override
	public Mono<List<InetAddress>> resolve(String host) {
		return Mono.<List<InetAddress>>create(sink -> {
			Future<List<InetAddress>> answer = dns.resolveAll(host);
			sink.onCancel(() -> answer.cancel(false));
			answer.addListener(done -> {
				if (done.isSuccess()) {
					sink.success(answer.getNow());
				}
				else {
					sink.error(translate(host, done.cause()));
				}
			});
		});
	}

	private static Throwable translate(String host, Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof DnsNameResolverTimeoutException) {
				return new TimeoutException("No DNS answer for " + host);
			}
		}
		return error instanceof UnknownHostException ? error : new UnknownHostException(host + ": " + error);
	}

	@Override
	public void close() {
		dns.close();
		loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
	}

}
