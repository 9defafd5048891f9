package dev.bookmarks.bookmark.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Limits of the server-side image download (docs/api.md: 10 MiB, 50 megapixels, 10 s).
 *
 * @param allowedNetworks CIDR blocks allowed on top of the public internet, empty by default
 * (env BOOKMARKS_FETCH_ALLOWED_NETWORKS), e.g. {@code 127.0.0.2/32} for tests
 * @param allowedPorts ports that may be fetched from; 80 and 443 by default
 * @param maxBytes largest body, counted while streaming
 * @param maxPixels largest width × height, read from the header before decoding
 * @param timeout the whole fetch, DNS and redirects included
 * @param maxRedirects redirects followed, each checked like the first URL
 * @param nameServers DNS servers to ask, as {@code ip} or {@code ip:port} ({@code [ipv6]:port}); empty
 * by default, meaning the system's (resolv.conf), env BOOKMARKS_FETCH_NAME_SERVERS
 * @param dnsQueryTimeout how long one DNS query may go unanswered, 2 s by default; a lookup gives up
 * after a few such queries at most, and the whole fetch's {@code timeout} bounds it in any case
 */
@ConfigurationProperties("bookmarks.fetch")
public record FetchProperties(List<String> allowedNetworks, Set<Integer> allowedPorts, Long maxBytes, Long maxPixels,
		Duration timeout, Integer maxRedirects, List<String> nameServers, Duration dnsQueryTimeout) {

	@ConstructorBinding
	public FetchProperties {
		allowedNetworks = allowedNetworks == null ? List.of()
				: allowedNetworks.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
		allowedPorts = allowedPorts == null || allowedPorts.isEmpty() ? Set.of(80, 443) : Set.copyOf(allowedPorts);
		maxBytes = maxBytes != null ? maxBytes : 10L * 1024 * 1024;
		maxPixels = maxPixels != null ? maxPixels : 50_000_000L;
		timeout = timeout != null ? timeout : Duration.ofSeconds(10);
		maxRedirects = maxRedirects != null ? maxRedirects : 3;
		nameServers = nameServers == null ? List.of()
				: nameServers.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
		dnsQueryTimeout = dnsQueryTimeout != null ? dnsQueryTimeout : Duration.ofSeconds(2);
	}

	/** The limits with the system's name servers. */
	public FetchProperties(List<String> allowedNetworks, Set<Integer> allowedPorts, Long maxBytes, Long maxPixels,
			Duration timeout, Integer maxRedirects) {
		this(allowedNetworks, allowedPorts, maxBytes, maxPixels, timeout, maxRedirects, null, null);
	}

	/** The name servers as socket addresses; IP literals only, a name server is never looked up. */
	public List<InetSocketAddress> nameServerAddresses() {
		return nameServers.stream().map(FetchProperties::nameServer).toList();
	}

	private static InetSocketAddress nameServer(String text) {
		String host = text;
		int port = 53;
		if (text.startsWith("[")) {
			int end = text.indexOf(']');
			host = text.substring(1, Math.max(1, end));
			if (end > 0 && text.length() > end + 1 && text.charAt(end + 1) == ':') {
				port = Integer.parseInt(text.substring(end + 2));
			}
		}
		else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
			host = text.substring(0, text.indexOf(':'));
			port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
		}
		try {
			return new InetSocketAddress(InetAddress.getByAddress(Cidr.literal(host)), port);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Not a name server address: " + text, ex);
		}
	}

	public List<Cidr> allowedCidrs() {
		return allowedNetworks.stream().map(Cidr::parse).toList();
	}

}
