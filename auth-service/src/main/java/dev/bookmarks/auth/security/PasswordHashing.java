package dev.bookmarks.auth.security;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2id for new hashes. Not bcrypt by default: bcrypt reads at most 72 bytes and Spring
 * Security refuses longer input, while passwords may have 128 characters. Hashes carry their
 * algorithm ({@code {argon2}...}), so the default can change later; old hashes still match and
 * are upgraded at the next login. Only the algorithms listed here are accepted, never plain text.
 * Every hash waits for a permit of a small pool (see {@link BoundedPasswordEncoder}).
 */
@Configuration(proxyBeanMethods = false)
class PasswordHashing {

	private static final Logger log = LoggerFactory.getLogger(PasswordHashing.class);

	@Bean
	PasswordEncoder passwordEncoder(PasswordHashingProperties properties, ObjectProvider<MeterRegistry> registry) {
		// OWASP's Argon2id minimum: 19 MiB memory, 2 iterations, parallelism 1.
		PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
		PasswordEncoder encoder = new DelegatingPasswordEncoder("argon2",
				Map.of("argon2", argon2, "bcrypt", new BCryptPasswordEncoder()));
		int cores = Runtime.getRuntime().availableProcessors();
		long maxHeap = Runtime.getRuntime().maxMemory();
		int permits = properties.maxConcurrent() > 0 ? properties.maxConcurrent()
				: BoundedPasswordEncoder.permitsFor(cores, maxHeap);
		log.info("At most {} password hash(es) at once ({} cores, {} MiB max heap); each waits up to {} for its turn",
				permits, cores, maxHeap / (1024 * 1024), properties.permitWait());
		return new BoundedPasswordEncoder(encoder, permits, properties.permitWait(),
				registry.getIfAvailable(SimpleMeterRegistry::new));
	}

}
