package dev.bookmarks.gateway.session;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.session.MapSession;
import org.springframework.session.config.ReactiveSessionRepositoryCustomizer;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.session.data.redis.RedisSessionMapper;

/**
 * A session hash that lacks its own fields (creation time, max inactive interval) is no session.
 * Saving a session is a check then a write: when a logout deletes the hash between the two (a
 * request still in flight while the person logs out), the write leaves a hash with only the
 * last-accessed time and the changed attributes. Spring Session's mapper throws on such a hash
 * ("creationTime key must not be null"), which answered 500 on every later request with that
 * cookie. Mapped to nothing instead, the repository deletes the hash and the request goes on
 * without a session: pages redirect to the login, {@code /api/**} calls carry no token and the
 * service answers 401.
 */
final class PartialSessions implements ReactiveSessionRepositoryCustomizer<ReactiveRedisSessionRepository> {

	private static final Logger log = LoggerFactory.getLogger(PartialSessions.class);

	private final RedisSessionMapper mapper = new RedisSessionMapper();

	@Override
	public void customize(ReactiveRedisSessionRepository repository) {
		repository.setRedisSessionMapper(this::map);
	}

	Mono<MapSession> map(String id, Map<String, Object> hash) {
		return Mono.fromSupplier(() -> mapper.apply(id, hash)).onErrorResume(IllegalStateException.class, ex -> {
			log.info("Session hash without its own fields ({}): treated as no session and deleted", ex.getMessage());
			return Mono.empty();
		});
	}

}
