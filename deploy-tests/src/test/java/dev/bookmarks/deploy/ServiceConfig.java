package dev.bookmarks.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

/**
 * A service's configuration: the environment variables it reads ({@code ${VAR}} or {@code ${VAR:default}}
 * placeholders, upper case) and the properties of its application.yml resolved against a given environment.
 */
final class ServiceConfig {

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

	private static final Map<String, ServiceConfig> CACHE = new ConcurrentHashMap<>();

	private final String service;

	private final Map<String, Object> tree;

	private ServiceConfig(String service) {
		this.service = service;
		this.tree = new Yaml().load(Repository.read(applicationYml(service)));
	}

	static Path applicationYml(String service) {
		return Repository.ROOT.resolve(service).resolve("src/main/resources/application.yml");
	}

	static ServiceConfig of(String service) {
		return CACHE.computeIfAbsent(service, ServiceConfig::new);
	}

	String service() {
		return service;
	}

	/**
	 * Every variable the service reads, mapped to its default (null when it has none): the upper-case placeholders in
	 * its own sources and resources and in platform-starter's, which every service runs (application.yml, @Value,
	 * logging configuration, the starter's defaults).
	 */
	Map<String, String> variables() {
		Map<String, String> variables = new TreeMap<>();
		for (Path sources : List.of(Repository.ROOT.resolve(service).resolve("src/main"),
				Repository.ROOT.resolve("platform-starter/src/main"))) {
			try (Stream<Path> files = Files.walk(sources)) {
				for (Path file : files.filter(ServiceConfig::mayReadVariables).toList()) {
					Matcher placeholder = VARIABLE.matcher(Repository.read(file));
					while (placeholder.find()) {
						variables.putIfAbsent(placeholder.group(1), placeholder.group(2));
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return variables;
	}

	private static boolean mayReadVariables(Path file) {
		String name = file.getFileName().toString();
		return Files.isRegularFile(file) && (name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".properties")
				|| name.endsWith(".xml") || name.endsWith(".java"));
	}

	/** A property as written in the file (placeholders unresolved), or null. */
	Object property(String dotted) {
		Object node = tree;
		for (String key : dotted.split("\\.")) {
			if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
				return null;
			}
			node = map.get(key);
		}
		return node;
	}

	/** A property with its placeholders resolved from the environment, else from their defaults; null if absent. */
	String resolved(String dotted, Map<String, String> environment) {
		Object value = property(dotted);
		if (value == null) {
			return null;
		}
		Matcher placeholder = VARIABLE.matcher(value.toString());
		StringBuilder out = new StringBuilder();
		while (placeholder.find()) {
			String set = environment.get(placeholder.group(1));
			String replacement = set != null ? set : placeholder.group(2);
			if (replacement == null) {
				throw new IllegalStateException(service + ": " + dotted + " needs " + placeholder.group(1));
			}
			placeholder.appendReplacement(out, Matcher.quoteReplacement(replacement));
		}
		placeholder.appendTail(out);
		return out.toString();
	}

	/** The port the service serves its API on. */
	int serverPort(Map<String, String> environment) {
		String port = resolved("server.port", environment);
		return port != null ? Integer.parseInt(port) : 8080;
	}

	/** The port of the actuators (probes, metrics): a separate management port, or the server port. */
	int managementPort(Map<String, String> environment) {
		String port = resolved("management.server.port", environment);
		return port != null ? Integer.parseInt(port) : serverPort(environment);
	}

	/** The prefix of the actuator paths: the servlet context path unless the actuators have their own port. */
	String actuatorPrefix(Map<String, String> environment) {
		if (resolved("management.server.port", environment) != null) {
			return "";
		}
		String contextPath = resolved("server.servlet.context-path", environment);
		return contextPath != null ? contextPath : "";
	}

}
