package dev.bookmarks.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository as these tests read it: which modules are services, what deploy/README.md documents, which topics
 * event-contracts names. Everything is derived from the sources, so a service, variable or topic added later is
 * checked without touching the tests.
 */
final class Repository {

	static final Path ROOT = findRoot();

	static final Path DEPLOY = ROOT.resolve("deploy");

	private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

	private Repository() {
	}

	private static Path findRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isDirectory(dir.resolve("deploy-tests"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("Run from inside the repository: no deploy-tests above " + Path.of("").toAbsolutePath());
		}
		return dir;
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The modules of the root build that package a runnable service: a Spring Boot jar (the repackage goal of the
	 * spring-boot-maven-plugin) with an application.yml. dev-infra packages a launcher for tests, not a service.
	 */
	static List<String> serviceModules() {
		List<String> services = new ArrayList<>();
		Matcher modules = MODULE.matcher(read(ROOT.resolve("pom.xml")));
		while (modules.find()) {
			String module = modules.group(1).strip();
			Path pom = ROOT.resolve(module).resolve("pom.xml");
			if (Files.isRegularFile(pom) && read(pom).contains("<artifactId>spring-boot-maven-plugin</artifactId>")
					&& Files.isRegularFile(ServiceConfig.applicationYml(module))) {
				services.add(module);
			}
		}
		return services;
	}

	/** Every topic named in event-contracts' Topics (the constants holding "bookmarks.*"). */
	static List<String> topics() {
		Path source = ROOT.resolve("event-contracts/src/main/java/dev/bookmarks/events/Topics.java");
		Matcher constant = Pattern.compile("static final String \\w+ = \"(bookmarks\\.[a-z0-9.-]+)\"").matcher(read(source));
		List<String> topics = new ArrayList<>();
		while (constant.find()) {
			topics.add(constant.group(1));
		}
		return topics;
	}

	static String deadLetterSuffix() {
		Path source = ROOT.resolve("event-contracts/src/main/java/dev/bookmarks/events/Topics.java");
		Matcher suffix = Pattern.compile("DEAD_LETTER_SUFFIX = \"([^\"]+)\"").matcher(read(source));
		if (!suffix.find()) {
			throw new IllegalStateException("No DEAD_LETTER_SUFFIX in " + source);
		}
		return suffix.group(1);
	}

	/** How long a service's graceful shutdown may take: the platform's default unless its application.yml says. */
	static int shutdownSeconds(String service) {
		Object own = ServiceConfig.of(service).property("spring.lifecycle.timeout-per-shutdown-phase");
		String value = own != null ? own.toString() : platformDefault("spring.lifecycle.timeout-per-shutdown-phase");
		Matcher seconds = Pattern.compile("(\\d+)s").matcher(value);
		if (!seconds.matches()) {
			throw new IllegalStateException("Cannot read the shutdown timeout '" + value + "'");
		}
		return Integer.parseInt(seconds.group(1));
	}

	private static String platformDefault(String property) {
		Path source = ROOT.resolve("platform-starter/src/main/java/dev/bookmarks/platform/PlatformDefaults.java");
		Matcher put = Pattern.compile("\"" + Pattern.quote(property) + "\",\\s*\"([^\"]+)\"").matcher(read(source));
		if (!put.find()) {
			throw new IllegalStateException("No default for " + property + " in " + source);
		}
		return put.group(1);
	}

	/**
	 * The first backticked cell of each row of the table under the deploy/README.md heading that starts with
	 * {@code heading}, mapped to the row's second cell.
	 */
	static Map<String, String> readmeTable(String heading) {
		Map<String, String> rows = new LinkedHashMap<>();
		boolean inSection = false;
		for (String line : read(DEPLOY.resolve("README.md")).split("\n")) {
			if (line.startsWith("#")) {
				inSection = line.replaceFirst("^#+\\s*", "").startsWith(heading);
				continue;
			}
			Matcher row = Pattern.compile("^\\|\\s*`([^`]+)`[^|]*\\|\\s*([^|]*?)\\s*\\|").matcher(line);
			if (inSection && row.find()) {
				rows.put(row.group(1), row.group(2));
			}
		}
		if (rows.isEmpty()) {
			throw new IllegalStateException("deploy/README.md has no table under a heading starting with '" + heading + "'");
		}
		return rows;
	}

	/** Secrets and ConfigMaps the manifests use but do not contain, as deploy/README.md lists them. */
	static Set<String> documentedExternalObjects() {
		return new LinkedHashSet<>(readmeTable("Secrets").keySet());
	}

	/**
	 * Variables a service reads that a target deliberately leaves at the service's default, as deploy/README.md lists
	 * them; target is "Kubernetes" or "Compose", a row marked "both" counts for each.
	 */
	static Set<String> defaultsKept(String target) {
		Set<String> kept = new LinkedHashSet<>();
		readmeTable("Variables left at their defaults").forEach((variable, where) -> {
			if (where.equalsIgnoreCase("both") || where.equalsIgnoreCase(target)) {
				kept.add(variable);
			}
		});
		return kept;
	}

}
