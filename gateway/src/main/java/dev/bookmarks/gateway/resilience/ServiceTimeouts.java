package dev.bookmarks.gateway.resilience;

import java.time.Duration;
import java.util.List;

import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The routing filter that bounds each service's answer on the event loop ({@link EventLoopTimeouts}), and the filter
 * that writes the service's answer back ({@link WholeAnswers}): turning Spring Cloud Gateway's routing filter off
 * turns off its writing filter too.
 */
@Configuration(proxyBeanMethods = false)
class ServiceTimeouts {

	@Bean
	EventLoopTimeouts eventLoopTimeouts(HttpClient httpClient, ObjectProvider<List<HttpHeadersFilter>> headersFilters,
			HttpClientProperties properties, GatewayProperties gateway,
			@Value("${bookmarks.gateway.service-timeout}") Duration fallback) {
		return new EventLoopTimeouts(httpClient, headersFilters, properties, gateway.getRoutes(), fallback);
	}

	@Bean
	NettyWriteResponseFilter nettyWriteResponseFilter(GatewayProperties properties,
			ObjectProvider<List<HttpHeadersFilter>> headersFilters) {
		return new WholeAnswers(properties.getStreamingMediaTypes(), headersFilters);
	}

}
