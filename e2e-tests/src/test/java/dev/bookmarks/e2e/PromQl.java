package dev.bookmarks.e2e;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: what a dashboard or an alert needs some service to
 * export. Not a parser: it drops what cannot be a metric name (strings, label matchers, ranges,
 * the label lists of {@code by}, {@code on}, ...), then keeps the identifiers that are neither
 * called (functions, aggregations) nor keywords.
 */
final class PromQl {

	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

	/** Label matchers and ranges or subqueries; neither nests in PromQL. */
	private static final Pattern BRACES_AND_BRACKETS = Pattern.compile("\\{[^}]*\\}|\\[[^\\]]*\\]");

	/** Label lists: {@code by (a, b)}, {@code without (a)}, {@code on (a)}, {@code ignoring (a)}, {@code group_left (a)}. */
	private static final Pattern LABEL_LIST = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", Pattern.CASE_INSENSITIVE);

	/** Grafana's variables ({@code $__rate_interval}, {@code ${datasource}}, {@code $application}). */
	private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*\\}|\\$\\w+");

	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
			"group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");

	private PromQl() {
	}

	/** The metric names {@code expression} reads, sorted. */
	static Set<String> metricNames(String expression) {
		String rest = STRING.matcher(expression).replaceAll(" ");
		rest = VARIABLE.matcher(rest).replaceAll(" ");
		rest = BRACES_AND_BRACKETS.matcher(rest).replaceAll(" ");
		rest = LABEL_LIST.matcher(rest).replaceAll(" ");
		// Numbers with exponents or units ("1e3", "5m" after offset) start with a digit: never identifiers.
		Set<String> names = new TreeSet<>();
		Matcher identifier = IDENTIFIER.matcher(rest);
		while (identifier.find()) {
			String name = identifier.group(1);
			boolean called = identifier.group(2) != null;
			if (!called && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
				names.add(name);
			}
		}
		return names;
	}

}
