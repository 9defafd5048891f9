package dev.bookmarks.auth.security;

import java.util.Map;

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
 */
@Configuration(proxyBeanMethods = false)
class PasswordHashing {

	@Bean
	PasswordEncoder passwordEncoder() {
		// OWASP's Argon2id minimum: 19 MiB memory, 2 iterations, parallelism 1.
		PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
		return new DelegatingPasswordEncoder("argon2", Map.of("argon2", argon2, "bcrypt", new BCryptPasswordEncoder()));
	}

}
