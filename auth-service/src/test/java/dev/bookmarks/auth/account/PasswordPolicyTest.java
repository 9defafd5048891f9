package dev.bookmarks.auth.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTest {

	private final PasswordPolicy policy = new PasswordPolicy();

	@Test
	void aLongUnrelatedPasswordIsAccepted() {
		assertThat(policy.problems("correct horse battery staple", "alice", "alice@example.com")).isEmpty();
	}

	@Test
	void lengthIsCountedInCharactersNotBytes() {
		assertThat(policy.problems("ñandú-pingüino", "alice", "alice@example.com")).isEmpty();
		assertThat(policy.problems("€".repeat(128), "alice", "alice@example.com")).isEmpty();
		assertThat(policy.problems("€".repeat(129), "alice", "alice@example.com"))
			.containsExactly("This password is too long. It must contain at most 128 characters.");
	}

	@Test
	void aShortPasswordIsRefused() {
		assertThat(policy.problems("Sh0rt!pwd", "alice", "alice@example.com"))
			.containsExactly("This password is too short. It must contain at least 10 characters.");
	}

	@Test
	void anAllDigitPasswordIsRefused() {
		assertThat(policy.problems("83749201746", "alice", "alice@example.com"))
			.containsExactly("This password is entirely numeric.");
	}

	@Test
	void aCommonPasswordIsRefusedInAnyCase() {
		assertThat(policy.problems("QwertyUiop", "alice", "alice@example.com"))
			.containsExactly("This password is too common.");
	}

	@Test
	void aPasswordLikeTheUsernameIsRefusedEitherWay() {
		assertThat(policy.problems("my name is Alice_Smith!", "alice_smith", "a@example.com"))
			.containsExactly("This password is too similar to the username.");
		assertThat(policy.problems("smith-family", "john.smith-family.official", "a@example.com"))
			.containsExactly("This password is too similar to the username.");
		// A part of the username, between separators, counts when it has 3 characters or more.
		assertThat(policy.problems("wonderful-bob-story", "bob_99", "a@example.com"))
			.containsExactly("This password is too similar to the username.");
		assertThat(policy.problems("wonderful-story-xy", "xy_99", "a@example.com")).isEmpty();
	}

	@Test
	void aPasswordLikeTheEmailLocalPartIsRefused() {
		assertThat(policy.problems("Hello-Marguerite-2024", "alice", "marguerite.dupont@example.com"))
			.containsExactly("This password is too similar to the email address.");
		// The domain is shared by many people and says nothing about this one.
		assertThat(policy.problems("example-garden-gnome", "alice", "xy@example.com")).isEmpty();
	}

}
