package dev.bookmarks.gateway.session;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

/**
 * A save never leaves a session hash behind that a logout deleted. Spring Session checks that the
 * hash exists, then writes the changed fields: a logout deleting it between the two (a request still
 * in flight) had the write create a hash with only those fields. After each save a hash without its creation time is deleted again (one HEXISTS). Whatever
 * remains anyway (a gateway stopped in between) is no session on the next read
 * ({@link PartialSessions}) and expires with the session timeout.
 */
final class InvalidatedSessionSaves implements ReactiveSessionRepository<Session> {

	private static final String CREATION_TIME = "creationTime";

	private final ReactiveSessionRepository<Session> delegate;

	private final ReactiveRedisOperations<String, Object> redis;

	private final String keyPrefix;

	@SuppressWarnings({ "unchecked", "rawtypes" })
	InvalidatedSessionSaves(ReactiveRedisSessionRepository delegate, String namespace) {
		this.delegate = (ReactiveSessionRepository) delegate;
		this.redis = delegate.getSessionRedisOperations();
		this.keyPrefix = namespace + ":sessions:";
	}

	/** Wraps the Spring Session repository bean; {@code namespace} as Spring Boot configures it. */
	static BeanPostProcessor wrapping(String namespace) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return bean instanceof ReactiveRedisSessionRepository repository
						? new InvalidatedSessionSaves(repository, namespace) : bean;
			}
		};
	}

	ReactiveRedisOperations<String, Object> redis() {
		return redis;
	}

	String key(String id) {
		return keyPrefix + id;
	}

	@Override
	public Mono<Session> createSession() {
		return delegate.createSession();
	}

	@Override
	public Mono<Void> save(Session session) {
		String key = key(session.getId());
		return delegate.save(session)
			.then(Mono.defer(() -> redis.opsForHash().hasKey(key, CREATION_TIME)))
			.flatMap(complete -> complete ? Mono.<Void>empty() : redis.delete(key).then());
	}

	@Override
	public Mono<Session> findById(String id) {
		return delegate.findById(id);
	}

	@Override
	public Mono<Void> deleteById(String id) {
		return delegate.deleteById(id);
	}

}
