package dev.bookmarks.bookmark.fetch;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
 */
@ConfigurationProperties("bookmarks.fetch")
public record FetchProperties(List<String> allowedNetworks, Set<Integer> allowedPorts, Long maxBytes, Long maxPixels,
		Duration timeout, Integer maxRedirects) {

	public FetchProperties {
		allowedNetworks = allowedNetworks == null ? List.of()
				: allowedNetworks.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
		allowedPorts = allowedPorts == null || allowedPorts.isEmpty() ? Set.of(80, 443) : Set.copyOf(allowedPorts);
		maxBytes = maxBytes != null ? maxBytes : 10L * 1024 * 1024;
		maxPixels = maxPixels != null ? maxPixels : 50_000_000L;
		timeout = timeout != null ? timeout : Duration.ofSeconds(10);
		maxRedirects = maxRedirects != null ? maxRedirects : 3;
	}

	public List<Cidr> allowedCidrs() {
		return allowedNetworks.stream().map(Cidr::parse).toList();
	}

}
