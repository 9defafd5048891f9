package dev.bookmarks.gateway.resilience;

import java.util.List;

import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TrailerHeadersFilter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;

/**
 * Writes each service's answer back as Spring Cloud Gateway's {@link NettyWriteResponseFilter} does, except that an
 * answer of known length up to {@value #LIMIT} bytes (the API's JSON) is received whole first and then written as one
 * message. Streamed, an answer costs two writes to the client's socket: the body as it arrives, then the end of the
 * response; whole, Reactor Netty sends headers and body with one system call, and a service's answer that breaks off
 * before its declared length becomes a 502 problem instead of a truncated 200. Larger answers (pictures), answers of
 * unknown length and streams (the live feed) go through unchanged.
 *
 * <p>The memory this holds is what the streamed path holds anyway: the answer's buffers as Netty read them, joined
 * without copying, for as long as the rest of the answer takes to arrive.
 */
class WholeAnswers extends NettyWriteResponseFilter {

	static final int LIMIT = 256 * 1024;

	WholeAnswers(List<MediaType> streamingMediaTypes, ObjectProvider<List<HttpHeadersFilter>> headersFilters) {
		super(streamingMediaTypes, headersFilters);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return super.filter(exchange, routed -> chain.filter(routed).then(Mono.defer(() -> writeWhole(routed))));
	}

	/** Writes a small answer of known length whole; leaves any other to the streamed path (its connection stays). */
	private Mono<Void> writeWhole(ServerWebExchange exchange) {
		Connection connection = exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR);
		ServerHttpResponse response = exchange.getResponse();
		long length = response.getHeaders().getContentLength();
		if (connection == null || response.isCommitted() || length <= 0 || length > LIMIT
				|| HttpMethod.HEAD.equals(exchange.getRequest().getMethod())
				|| HttpStatus.NOT_MODIFIED.equals(response.getStatusCode())) {
			return Mono.empty();
		}
		// The streamed path finds no connection now and writes nothing.
		exchange.getAttributes().remove(CLIENT_RESPONSE_CONN_ATTR);
		HttpClientResponse answer = exchange.getAttribute(CLIENT_RESPONSE_ATTR);
		return response
			.writeWith(connection.inbound()
				.receive()
				.aggregate()
				.retain()
				.map((ByteBuf whole) -> wrap(whole, response))
				.onErrorMap(broken -> {
					// Nothing was sent yet: the service's headers (length, caching) must not describe the problem.
					response.getHeaders().clear();
					return new ResponseStatusException(HttpStatus.BAD_GATEWAY,
							"The service's answer broke off before its end.", broken);
				}))
			.then(TrailerHeadersFilter.filter(getHeadersFilters(), exchange, answer))
			.doFinally(signal -> {
				if (signal == SignalType.CANCEL || signal == SignalType.ON_ERROR) {
					connection.dispose();
				}
			})
			.then();
	}

}
