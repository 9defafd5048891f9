package dev.bookmarks.bookmark.fetch;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

import dev.bookmarks.bookmark.capacity.OverloadedException;
import dev.bookmarks.bookmark.fetch.FetchRefusedException.Reason;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Downloads what a user pointed at, the security boundary of the site (server-side request
 * forgery). It resolves the host itself, refuses the URL if ANY address is not public, then
 * connects to exactly the address it checked (no second lookup, so DNS rebinding cannot swap it),
 * follows at most a few redirects checking each the same way, and caps time and bytes while
 * streaming (a declared Content-Length is not trusted).
 */
public class ImageFetcher {

	private static final Log log = LogFactory.getLog(ImageFetcher.class);

	private final HttpClient http;

	private final PublicAddressPolicy policy;

	private final FetchProperties properties;

	private final HostResolver resolver;

	public ImageFetcher(HttpClient http, PublicAddressPolicy policy, FetchProperties properties,
			HostResolver resolver) {
		this.http = http;
		this.policy = policy;
		this.properties = properties;
		this.resolver = resolver;
	}

	/**
	 * Reactor context key of a {@link LongConsumer} told the size of every chunk of a body before it
	 * is buffered; it refuses to let the download grow by throwing {@link OverloadedException}.
	 */
	public static final String BYTES_RECEIVED = ImageFetcher.class.getName() + ".bytesReceived";

	private static final LongConsumer IGNORED = bytes -> {
	};

	/** A body and where it finally came from. */
	public record Fetched(byte[] bytes, URI url, String contentType) {
	}

	/** The URL checked for what can be judged without the network, or a refusal. */
	public FetchTarget target(String url) {
		return FetchTarget.parse(url, properties.allowedPorts());
	}

	public Mono<Fetched> fetch(String url) {
		return Mono.fromCallable(() -> FetchTarget.parse(url, properties.allowedPorts()))
			.flatMap(target -> fetch(target, 0))
			.timeout(properties.timeout())
			.onErrorMap(TimeoutException.class,
					ex -> new FetchRefusedException(Reason.TIMEOUT, "did not answer within " + properties.timeout().toSeconds() + " s"))
			.onErrorMap(ex -> !(ex instanceof FetchRefusedException) && !(ex instanceof OverloadedException),
					ex -> new FetchRefusedException(Reason.UNREACHABLE, "could not be downloaded: " + reason(ex), ex));
	}

	private Mono<Fetched> fetch(FetchTarget target, int redirects) {
		return resolve(target).flatMap(address -> request(target, address)).flatMap(answer -> {
			if (answer.redirect() == null) {
				return Mono.just(answer.fetched());
			}
			if (redirects >= properties.maxRedirects()) {
				return Mono.error(new FetchRefusedException(Reason.REDIRECTS, "redirects more than " + properties.maxRedirects() + " times"));
			}
			FetchTarget next;
			try {
				next = FetchTarget.parse(target.uri().resolve(answer.redirect()).toString(), properties.allowedPorts());
			}
			catch (FetchRefusedException ex) {
				return Mono.error(new FetchRefusedException(ex.reason(), "redirects to a URL that " + ex.getMessage()));
			}
			catch (IllegalArgumentException ex) {
				return Mono.error(new FetchRefusedException(Reason.INVALID_URL, "redirects to an invalid URL"));
			}
			return fetch(next, redirects + 1).onErrorMap(FetchRefusedException.class,
					ex -> ex.getMessage().startsWith("redirects") ? ex
							: new FetchRefusedException(ex.reason(), "redirects to a URL that " + ex.getMessage(), ex));
		});
	}

	/** One checked address for the target: every address its name resolves to must be public. */
	private Mono<InetAddress> resolve(FetchTarget target) {
		if (target.literal() != null) {
			return check(target, List.of(target.literal()));
		}
		return resolver.resolve(target.host())
			.onErrorMap(UnknownHostException.class, ex -> new FetchRefusedException(Reason.UNKNOWN_HOST, "names an unknown host"))
			.flatMap(addresses -> addresses.isEmpty() ? Mono.error(new FetchRefusedException(Reason.UNKNOWN_HOST, "names an unknown host"))
					: check(target, addresses));
	}

	private Mono<InetAddress> check(FetchTarget target, List<InetAddress> addresses) {
		for (InetAddress address : addresses) {
			String refusal = policy.refusal(address);
			if (refusal != null) {
				log.info("Refused to fetch from " + target.host() + " " + addresses.stream()
					.map(InetAddress::getHostAddress)
					.toList() + ": " + refusal);
				return Mono.error(new FetchRefusedException(Reason.PRIVATE_ADDRESS, FetchRefusedException.NOT_PUBLIC));
			}
		}
		try {
			// Carries the host name for TLS (SNI, certificate check) but is never looked up again.
			return Mono.just(InetAddress.getByAddress(target.host(), addresses.get(0).getAddress()));
		}
		catch (UnknownHostException ex) {
			return Mono.error(new FetchRefusedException(Reason.INVALID_URL, "has an invalid address"));
		}
	}

	private record Answer(Fetched fetched, String redirect) {
	}

	private Mono<Answer> request(FetchTarget target, InetAddress address) {
		HttpClient client = http.remoteAddress(() -> new InetSocketAddress(address, target.port()))
			.headers(headers -> headers.set(HttpHeaderNames.HOST, target.hostHeader()));
		if (target.secure()) {
			client = client.secure();
		}
		return client.get()
			.uri(target.pathAndQuery())
			.response((response, body) -> answer(target, response, body))
			.next();
	}

	private Mono<Answer> answer(FetchTarget target, HttpClientResponse response, ByteBufFlux body) {
		int status = response.status().code();
		if (status >= 300 && status < 400 && status != 304) {
			String location = response.responseHeaders().get(HttpHeaderNames.LOCATION);
			if (location == null || location.isBlank()) {
				return Mono.error(new FetchRefusedException(Reason.REDIRECTS, "answered a redirect without a Location"));
			}
			return Mono.just(new Answer(null, location));
		}
		if (status != 200) {
			return Mono.error(new FetchRefusedException(Reason.BAD_ANSWER, "answered HTTP " + status));
		}
		String declared = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
		if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > properties.maxBytes()) {
			return Mono.error(tooLarge());
		}
		String contentType = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
		// A declared length (checked above) sizes the buffer once instead of doubling it; what the
		// buffer holds, allocated or received, is what the listener is told, before it exists.
		int declaredLength = declared != null && declared.matches("\\d{1,18}") ? (int) Long.parseLong(declared) : 0;
		return Mono.deferContextual(context -> {
			LongConsumer received = context.getOrDefault(BYTES_RECEIVED, IGNORED);
			long[] told = { 0 };
			return body.asByteArray().reduceWith(() -> {
				int initial = Math.max(declaredLength, 8 * 1024);
				received.accept(initial);
				told[0] = initial;
				return new ByteArrayOutputStream(initial);
			}, (out, chunk) -> {
				long size = out.size() + (long) chunk.length;
				if (size > properties.maxBytes()) {
					throw tooLarge();
				}
				if (size > told[0]) {
					received.accept(size - told[0]);
					told[0] = size;
				}
				out.write(chunk, 0, chunk.length);
				return out;
			});
		})
			.map(out -> new Answer(new Fetched(out.toByteArray(), target.uri(), contentType), null))
			.switchIfEmpty(
					Mono.error(() -> new FetchRefusedException(Reason.BAD_ANSWER, "answered with an empty body")));
	}

	private FetchRefusedException tooLarge() {
		return new FetchRefusedException(Reason.TOO_LARGE, "is larger than " + properties.maxBytes() / (1024 * 1024) + " MiB");
	}

	/**
	 * What went wrong, in words that never carry an address: the exception texts of the network
	 * stack name the address connected to. The full error goes to the log.
	 */
	private static String reason(Throwable error) {
		log.info("Fetch failed: " + error);
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectTimeoutException) {
				return "the connection timed out";
			}
			if (cause instanceof ConnectException) {
				return "the connection was refused";
			}
			if (cause instanceof SSLException) {
				return "the TLS handshake failed";
			}
			if (cause instanceof PrematureCloseException) {
				return "the connection closed early";
			}
		}
		return "the connection failed";
	}

}
