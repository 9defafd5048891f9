package dev.bookmarks.auth.account;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** The common passwords are zxcvbn's 30,000, read from its jar. */
class CommonPasswordListTest {

	private static final PasswordPolicy policy = new PasswordPolicy();

	@Test
	void theWholeZxcvbnListIsLoaded() throws Exception {
		List<String> lines;
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(
				new ClassPathResource(PasswordPolicy.COMMON_PASSWORDS).getInputStream(), StandardCharsets.UTF_8))) {
			lines = reader.lines().toList();
		}

		assertThat(lines).hasSize(30_000).startsWith("123456", "password");
		assertThat(policy.commonPasswordCount()).isGreaterThanOrEqualTo(29_000);
	}

	/** Ranks 595, 11383, 12590, 10110 and 19914 of the list; ten characters or more, so only the list refuses them. */
	@ParameterizedTest(name = "\"{0}\" is refused as too common")
	@ValueSource(strings = { "password123", "password1234", "Qwerty123456789", "QWERTYASDFGH", "iloveyou123" })
	void passwordsFromTheListAreRefusedInAnyCase(String password) {
		assertThat(policy.problems(password, "alice", "alice@example.com"))
			.containsExactly("This password is too common.");
	}

	@Test
	void aRandomPassphraseIsAccepted() {
		assertThat(policy.problems("orbit velvet kettle 42 marmalade", "alice", "alice@example.com")).isEmpty();
	}

	@Test
	void theOldListIsGone() {
		assertThat(new ClassPathResource("passwords/common-passwords.txt").exists()).isFalse();
	}

}
