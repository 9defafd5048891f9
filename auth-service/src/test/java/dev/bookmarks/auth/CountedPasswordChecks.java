package dev.bookmarks.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Counts, per stored hash, how often the service compared a password with it: wraps the
 * service's own {@link PasswordEncoder} bean, which every check goes through.
 */
public final class CountedPasswordChecks implements BeanPostProcessor {

	private final Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();

	/** How many checks against this stored hash have finished. */
	public int against(String passwordHash) {
		AtomicInteger count = checks.get(passwordHash);
		return count == null ? 0 : count.get();
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof PasswordEncoder encoder)) {
			return bean;
		}
		return new PasswordEncoder() {

			@Override
			public String encode(CharSequence rawPassword) {
				return encoder.encode(rawPassword);
			}

			@Override
			public boolean matches(CharSequence rawPassword, String encodedPassword) {
				boolean matches = encoder.matches(rawPassword, encodedPassword);
				checks.computeIfAbsent(encodedPassword, hash -> new AtomicInteger()).incrementAndGet();
				return matches;
			}

			@Override
			public boolean upgradeEncoding(String encodedPassword) {
				return encoder.upgradeEncoding(encodedPassword);
			}

		};
	}

}
