package dev.bookmarks.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the calls out of a Markdown contract, as FirstSliceIT does with docs/api.md. */
class ContractPathsTest {

	@Test
	void callsMethodsAndShorthandsAreRead(@TempDir Path folder) throws Exception {
		Path contract = folder.resolve("api.md");
		Files.writeString(contract, """
				- `/api/**` without credentials answers 401; the stream is `/api/feed/stream`.
				| `GET /api/images?owner=&likedBy=&limit=&cursor=` | newest first |
				| `PUT /api/users/{username}/follow` / `DELETE ...` | 204 |
				| `GET /api/users/{username}/followers`, `.../following` | paged |
				| `GET /api/users/{name}/followers` / `/following` | paged |
				| `GET /api/rankings/images?by=views\\|likes` | best first; `{origin}/api/accounts/{id}` |
				The login page is `{origin}/auth/login`, the admin API is `/api/admin...`.
				""");

		Set<String> calls = ContractPaths.of(contract);

		assertThat(calls).containsExactlyInAnyOrder("ANY /api/feed/stream", "GET /api/images",
				"PUT /api/users/{}/follow", "DELETE /api/users/{}/follow", "GET /api/users/{}/followers",
				"GET /api/users/{}/following", "GET /api/rankings/images", "ANY /api/admin");
	}

	@Test
	void theRepositorysContractNamesEveryServicesCalls() throws Exception {
		Path contract = Path.of(System.getProperty("bookmarks.project.dir", ".."), "docs", "api.md");

		Set<String> calls = ContractPaths.of(contract);

		assertThat(calls).contains("POST /api/accounts", "PATCH /api/accounts/me", "PUT /api/admin/accounts/{}/roles",
				"POST /api/images", "DELETE /api/images/{}/like", "GET /api/users/{}/following",
				"GET /api/feed/stream", "POST /api/rankings/rebuild");
	}

}
