package dev.bookmarks.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.EventLoop;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * The event loop of the connection a request came on. Redis answers on Lettuce's own event loop,
 * one thread for the shared connection: without going back, every request that asked Redis would
 * be proxied from that one thread.
 */
final class RequestEventLoop {

	private static final Map<EventLoop, Scheduler> schedulers = new ConcurrentHashMap<>();

	private RequestEventLoop() {
	}

	/** A scheduler running on the request's event loop, or null when it is not a Netty request. */
	static Scheduler of(ServerWebExchange exchange) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (!(nativeRequest instanceof Connection connection)) {
			return null;
		}
		return schedulers.computeIfAbsent(connection.channel().eventLoop(), Schedulers::fromExecutor);
	}

}
