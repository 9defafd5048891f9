package dev.bookmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls a contract written in Markdown promises: every {@code /api/...} path in backticks, with
 * its method where one is written ({@code `PUT /api/users/{username}/follow`}), as
 * {@code "PUT /api/users/{}/follow"}; {@code "ANY /api/feed/stream"} where none is. Shorthands
 * refer to the call before them on the same line: {@code `DELETE ...`} is the same path,
 * {@code `.../following`} or {@code `/following`} a sibling of it.
 */
final class ContractPaths {

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private static final Pattern CALL = Pattern.compile("^(GET|POST|PUT|PATCH|DELETE)\\s+(\\S+)");

	private static final Pattern SIBLING = Pattern.compile("^(?:\\.\\.\\.)?(/[a-z-]+)$");

	private ContractPaths() {
	}

	static Set<String> of(Path markdown) throws IOException {
		Set<String> calls = new TreeSet<>();
		for (String line : Files.readAllLines(markdown)) {
			String method = null;
			String path = null;
			Matcher code = CODE.matcher(line);
			while (code.find()) {
				String text = code.group(1).trim();
				Matcher call = CALL.matcher(text);
				Matcher sibling = SIBLING.matcher(text);
				if (call.find()) {
					method = call.group(1);
					String written = call.group(2);
					if (written.startsWith("/api/")) {
						path = clean(written);
					}
					else if (!written.startsWith("...") || path == null) {
						continue;
					}
				}
				else if (text.startsWith("/api/")) {
					method = null;
					path = clean(text);
				}
				else if (sibling.matches() && path != null) {
					path = path.substring(0, path.lastIndexOf('/')) + sibling.group(1);
				}
				else {
					continue;
				}
				if (path != null && !path.contains("*")) {
					calls.add((method == null ? "ANY" : method.toUpperCase(Locale.ROOT)) + " "
							+ path.replaceAll("\\{[^}]*}", "{}"));
				}
			}
		}
		return calls;
	}

	private static String clean(String path) {
		int query = path.indexOf('?');
		// "/api/accounts..." in prose: the path is what comes before the dots.
		String withoutQuery = (query < 0 ? path : path.substring(0, query)).replaceAll("\\.+$", "");
		return withoutQuery.endsWith("/") && withoutQuery.length() > 1
				? withoutQuery.substring(0, withoutQuery.length() - 1) : withoutQuery;
	}

}
