package dev.bookmarks.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.bookmarks.gateway.problem.ProblemResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Token buckets in Redis for every call to /api/** and /auth/**: one per person (the subject of a
 * valid bearer token, or of the session), one per client address for everyone else, and the
 * stricter buckets of the configured rules (account creation and the login form per address,
 * image saves per person: each save makes the server download up to 10 MiB from a site of the
 * caller's choosing). A call over a limit answers 429 problem+json with {@code Retry-After} and
 * reaches no service.
 *
 * <p>A bearer token counts for its subject only once its signature checks out: a forged token
 * naming someone else must not spend that person's requests, so it counts for its sender's address.
 * Checked tokens are remembered until they expire. If Redis fails, calls are let through: losing
 * the limits for a moment is better than losing the site.
 *
 * <p>The general buckets are taken from in leases ({@link Leases}): most requests are counted
 * without a Redis round trip. The rules' small buckets are counted one request at a time.
 */
@Component
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimiting implements GlobalFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger(RateLimiting.class);

	private static final Duration REDIS_TIMEOUT = Duration.ofMillis(500);

	private record CompiledRule(String name, RateLimitProperties.Rule rule, PathPattern pattern) {
	}

	private record Subject(String key, boolean person) {
	}

	private final RateLimitProperties properties;

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveJwtDecoder jwtDecoder;

	private final ProblemResponses problems;

	private final Pattern trustedProxies;

	private final RedisScript<List<Long>> script;

	private final List<CompiledRule> rules = new ArrayList<>();

	private final Leases leases;

	@SuppressWarnings({ "unchecked", "rawtypes" })
	RateLimiting(RateLimitProperties properties, ReactiveStringRedisTemplate redis, ReactiveJwtDecoder jwtDecoder,
			ProblemResponses problems,
			@Value("${spring.cloud.gateway.server.webflux.trusted-proxies:}") String trustedProxies) {
		this.properties = properties;
		this.redis = redis;
		this.jwtDecoder = jwtDecoder;
		this.problems = problems;
		this.trustedProxies = trustedProxies.isBlank() ? null : Pattern.compile(trustedProxies);
		// Read now: the first request must not read a file on the event loop.
		this.script = (RedisScript) RedisScript.of(readScript(), List.class);
		this.leases = new Leases(properties.leaseTime());
		properties.rules()
			.forEach((name, rule) -> rules
				.add(new CompiledRule(name, rule, PathPatternParser.defaultInstance.parse(rule.path()))));
	}

	private static String readScript() {
		try (var in = new ClassPathResource("ratelimit/token-bucket.lua").getInputStream()) {
			return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!properties.enabled() || !(path.startsWith("/api/") || path.startsWith("/auth/"))) {
			return chain.filter(exchange);
		}
		return subject(exchange).flatMap(subject -> {
			List<Mono<Long>> checks = new ArrayList<>();
			RateLimitProperties.Bucket general = subject.person() ? properties.user() : properties.address();
			String generalKey = "all:" + subject.key();
			if (!leases.take(generalKey)) {
				checks.add(take(generalKey, general.capacity(), general.refill(), properties.leaseOf(general)));
			}
			PathContainer container = exchange.getRequest().getPath().pathWithinApplication();
			String method = exchange.getRequest().getMethod().name();
			for (CompiledRule compiled : rules) {
				RateLimitProperties.Rule rule = compiled.rule();
				if ((rule.method() == null || rule.method().isBlank() || rule.method().equalsIgnoreCase(method))
						&& compiled.pattern().matches(container)) {
					String key = rule.per() == RateLimitProperties.Per.ADDRESS ? "address:" + clientAddress(exchange)
							: subject.key();
					checks.add(take(compiled.name() + ":" + key, rule.capacity(), rule.refill(), 1));
				}
			}
			if (checks.isEmpty()) {
				return Mono.just(0L);
			}
			Mono<Long> wait = Flux.concat(checks).reduce(0L, Math::max);
			Scheduler home = RequestEventLoop.of(exchange);
			return home == null ? wait : wait.publishOn(home);
		}).flatMap(waitMillis -> waitMillis > 0 ? tooMany(exchange, waitMillis) : chain.filter(exchange));
	}

	private Mono<Void> tooMany(ServerWebExchange exchange, long waitMillis) {
		return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS,
				"Too many requests. Please wait a moment before trying again.", Duration.ofMillis(waitMillis));
	}

	/**
	 * Milliseconds to wait (0: a token was taken). Up to {@code lease} tokens are taken at once; those
	 * beyond this request's are kept for the next ones.
	 */
	private Mono<Long> take(String key, int capacity, Duration refill, int lease) {
		return redis
			.execute(script, List.of("bookmarks:gateway:rate:" + key),
					List.of(String.valueOf(capacity), String.valueOf(Math.max(1, refill.toMillis())),
							String.valueOf(lease)))
			.next()
			.map(result -> {
				long taken = result.get(0);
				if (taken >= 1) {
					leases.keep(key, (int) taken - 1);
					return 0L;
				}
				// Requests that asked Redis at the same moment may have taken more than they need.
				return leases.take(key) ? 0L : Math.max(1L, result.get(1));
			})
			.timeout(REDIS_TIMEOUT)
			.onErrorResume(ex -> {
				log.warn("Rate limit not checked, Redis failed: {}", ex.toString());
				return Mono.just(0L);
			})
			.defaultIfEmpty(0L);
	}

	private Mono<Subject> subject(ServerWebExchange exchange) {
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		Mono<Optional<String>> person;
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			person = bearerSubject(authorization.substring(7).strip());
		}
		else {
			person = exchange.getPrincipal()
				.filter(OAuth2AuthenticationToken.class::isInstance)
				.map(principal -> Optional.of(principal.getName()))
				.defaultIfEmpty(Optional.empty());
		}
		return person.map(subject -> subject.map(name -> new Subject("user:" + name, true))
			.orElseGet(() -> new Subject("address:" + clientAddress(exchange), false)));
	}

	/** The token's subject; the decoder (platform-starter's VerifiedTokens) checks a token's signature only once. */
	private Mono<Optional<String>> bearerSubject(String token) {
		return jwtDecoder.decode(token)
			.map(jwt -> Optional.ofNullable(jwt.getSubject()))
			.onErrorResume(ex -> Mono.just(Optional.empty()));
	}

	/**
	 * The client's address: the peer, or when the peer is a trusted proxy (the ingress) the
	 * nearest address in its X-Forwarded-For that is not one.
	 */
	String clientAddress(ServerWebExchange exchange) {
		InetSocketAddress peer = exchange.getRequest().getRemoteAddress();
		String address = peer == null || peer.getAddress() == null ? "unknown" : peer.getAddress().getHostAddress();
		if (!isTrusted(address)) {
			return address;
		}
		List<String> forwarded = exchange.getRequest().getHeaders().getOrEmpty("X-Forwarded-For");
		List<String> hops = new ArrayList<>();
		for (String header : forwarded) {
			for (String hop : header.split(",")) {
				if (!hop.isBlank()) {
					hops.add(hop.strip());
				}
			}
		}
		for (int i = hops.size() - 1; i >= 0; i--) {
			if (!isTrusted(hops.get(i))) {
				return hops.get(i);
			}
		}
		return address;
	}

	private boolean isTrusted(String address) {
		return trustedProxies != null && trustedProxies.matcher(address).matches();
	}

	/**
	 * Before the routes' own filters (circuit breaker, retry: a retried call is not counted twice)
	 * and before the session's token is relayed (or refreshed) for a call that is refused.
	 */
	@Override
	public int getOrder() {
		return -20;
	}

}
