package dev.bookmarks.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop answers as Spring Security's own header predicates do, for every code point and mixed strings. */
class HeaderTextTest {

	@Test
	void everyCodePointIsJudgedAsSpringSecurityJudgesIt() {
		List<String> differing = new ArrayList<>();
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String text = Character.toString(codePoint);
			compare(text, differing);
		}
		assertThat(differing).isEmpty();
	}

	@Test
	void mixedStringsLoneSurrogatesAndNullAreJudgedAsSpringSecurityJudgesThem() {
		List<String> samples = new ArrayList<>(List.of("", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "text/html; q=0.9",
				"a\tb", "a\nb", "a\rb", "a\u0000b", "caf\u00e9", "\ud83d\ude00 smile", "lone \ud83d high",
				"lone \ude00 low", "\u0378 unassigned", "\u007f delete", "\u0085 next line", "\u200b zero width"));
		Random random = new Random(42);
		for (int n = 0; n < 20_000; n++) {
			StringBuilder text = new StringBuilder();
			for (int length = random.nextInt(12); length > 0; length--) {
				// Mostly ASCII, some of everything else, surrogate halves included.
				text.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80)));
			}
			samples.add(text.toString());
		}
		List<String> differing = new ArrayList<>();
		samples.forEach(text -> compare(text, differing));
		assertThat(differing).isEmpty();
		assertThat(HeaderText.allowedName(null)).isTrue();
		assertThat(HeaderText.allowedValue(null)).isTrue();
		// What the loop is for: the common cases still pass and fail as they should.
		assertThat(HeaderText.allowedValue("a\tb")).isTrue();
		assertThat(HeaderText.allowedName("a\tb")).isFalse();
		assertThat(HeaderText.allowedValue("a\nb")).isFalse();
	}

	private static void compare(String text, List<String> differing) {
		if (HeaderText.allowedName(text) != StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(text)
				|| HeaderText.allowedValue(text) != StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(text)) {
			differing.add(text.codePoints().mapToObj(Integer::toHexString).toList().toString());
		}
	}

}
