package dev.bookmarks.bookmark.fetch;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one HTTP client for every outbound fetch, configured once. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FetchProperties.class)
class FetchConfiguration {

	@Bean(destroyMethod = "dispose")
	ConnectionProvider fetchConnections() {
		return ConnectionProvider.builder("image-fetch")
			.maxConnections(64)
			.pendingAcquireMaxCount(256)
			.pendingAcquireTimeout(Duration.ofSeconds(5))
			.maxIdleTime(Duration.ofSeconds(20))
			.build();
	}

	@Bean(destroyMethod = "close")
	DnsHostResolver fetchHostResolver(FetchProperties properties) {
		return new DnsHostResolver(properties.nameServerAddresses(), properties.dnsQueryTimeout());
	}

	@Bean
	ImageFetcher imageFetcher(ConnectionProvider fetchConnections, FetchProperties properties,
			DnsHostResolver resolver) {
		HttpClient http = HttpClient.create(fetchConnections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
			.responseTimeout(properties.timeout())
			.followRedirect(false)
			.compress(false)
			.noProxy()
			.httpResponseDecoder(decoder -> decoder.maxHeaderSize(16 * 1024))
			.headers(headers -> headers.set("User-Agent", "BookmarksBot/1.0 (+image fetcher)")
				.set("Accept", "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"));
		return new ImageFetcher(http, new PublicAddressPolicy(properties.allowedCidrs()), properties, resolver);
	}

}
