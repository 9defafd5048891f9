package dev.bookmarks.bookmark.fetch;

import java.net.InetAddress;
import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Turns a host name into every address it names, without a thread waiting for the answer. Fails
 * with {@link java.net.UnknownHostException} for a name that does not exist and with
 * {@link java.util.concurrent.TimeoutException} when the name servers do not answer in time.
 */
@FunctionalInterface
public interface HostResolver {

	Mono<List<InetAddress>> resolve(String host);

}
