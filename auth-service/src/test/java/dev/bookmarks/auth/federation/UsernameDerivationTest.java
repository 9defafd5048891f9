package dev.bookmarks.auth.federation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsernameDerivationTest {

	private static final Predicate<String> NOTHING_TAKEN = name -> false;

	@Test
	void theFirstUsableHintWins() {
		assertThat(derive(NOTHING_TAKEN, null, " ", "octocat", "ada@example.com")).isEqualTo("octocat");
		assertThat(derive(NOTHING_TAKEN, "ada.lovelace", "octocat")).isEqualTo("ada.lovelace");
	}

	@Test
	void onlyLettersDigitsAndDotPlusMinusUnderscoreAreKept() {
		assertThat(derive(NOTHING_TAKEN, "Ada Lovelace!#$%&*()<>/\\\"'")).isEqualTo("AdaLovelace");
		assertThat(derive(NOTHING_TAKEN, "a.b+c-d_e")).isEqualTo("a.b+c-d_e");
		assertThat(derive(NOTHING_TAKEN, "<script>alert(1)</script>")).isEqualTo("scriptalert1script");
	}

	@Test
	void accentsAreRemovedAndOtherScriptsDropped() {
		assertThat(derive(NOTHING_TAKEN, "José Müller-Ørsted")).isEqualTo("JoseMuller-rsted");
		assertThat(derive(NOTHING_TAKEN, "山田", "yamada@example.jp")).isEqualTo("yamada");
	}

	@Test
	void anEmailShapedHintGivesItsLocalPartSoAUsernameNeverLooksLikeAnAddress() {
		assertThat(derive(NOTHING_TAKEN, "ada@example.com")).isEqualTo("ada");
		assertThat(derive(NOTHING_TAKEN, "@weird")).isEqualTo("user");
	}

	@Test
	void withoutAnyUsableHintTheNameIsUser() {
		assertThat(derive(NOTHING_TAKEN, null, "", "!!!", "@")).isEqualTo("user");
		assertThat(derive(NOTHING_TAKEN)).isEqualTo("user");
	}

	@Test
	void aLongNameIsCutTo150Characters() {
		String name = derive(NOTHING_TAKEN, "a".repeat(400));

		assertThat(name).hasSize(150);
	}

	@Test
	void aTakenNameGetsTheFirstFreeNumberIgnoringCase() {
		Predicate<String> taken = takenIgnoringCase("ada", "ADA2", "ada3");

		assertThat(derive(taken, "Ada")).isEqualTo("Ada4");
	}

	@Test
	void aNameIsTakenBySomeonesEmailAddressToo() {
		// The predicate is "username or email"; an address is never a username candidate here anyway.
		Predicate<String> taken = takenIgnoringCase("bob", "bob@example.com");

		assertThat(derive(taken, "bob@elsewhere.example")).isEqualTo("bob2");
	}

	@Test
	void theNumberFitsWithinTheLimitOfALongTakenName() {
		String longName = "b".repeat(150);
		Set<String> taken = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		taken.add(longName);
		for (int i = 2; i <= 10; i++) {
			taken.add("b".repeat(150 - Integer.toString(i).length()) + i);
		}

		String name = derive(taken::contains, longName + "bbbb");

		assertThat(name).hasSize(150).endsWith("11").startsWith("b".repeat(148));
	}

	@Test
	void aVeryPopularNameStillFindsAFreeNumber() {
		List<String> names = new ArrayList<>(List.of("sam"));
		for (int i = 2; i < 200; i++) {
			names.add("sam" + i);
		}

		String name = derive(takenIgnoringCase(names.toArray(String[]::new)), "sam");

		assertThat(name).startsWith("sam").matches("sam\\d+").isNotIn(names);
	}

	private static String derive(Predicate<String> taken, String... hints) {
		return UsernameDerivation.derive(Arrays.asList(hints), taken);
	}

	private static Predicate<String> takenIgnoringCase(String... names) {
		Set<String> lower = new TreeSet<>();
		for (String name : names) {
			lower.add(name.toLowerCase(Locale.ROOT));
		}
		return name -> lower.contains(name.toLowerCase(Locale.ROOT));
	}

}
