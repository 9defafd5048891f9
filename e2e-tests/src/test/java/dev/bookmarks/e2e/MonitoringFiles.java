package dev.bookmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The dashboard and the alerting rules of {@code deploy/monitoring}, and the metrics they read. */
final class MonitoringFiles {

	private final Path folder;

	MonitoringFiles(Path projectDir) {
		this.folder = projectDir.resolve("deploy/monitoring");
	}

	static MonitoringFiles ofThisProject() throws IOException {
		return new MonitoringFiles(Path.of(System.getProperty("bookmarks.project.dir", "..")).toRealPath());
	}

	/** The rule groups of the plain Prometheus rules file. */
	List<Map<String, Object>> ruleGroups() throws IOException {
		return groups(yaml("alerts.yml"));
	}

	/** The rule groups of the Kubernetes PrometheusRule. */
	List<Map<String, Object>> prometheusRuleGroups() throws IOException {
		return groups(child(yaml("prometheus-rule.yaml"), "spec"));
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> rules(List<Map<String, Object>> groups) {
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Map<String, Object> group : groups) {
			rules.addAll((List<Map<String, Object>>) group.get("rules"));
		}
		return rules;
	}

	/** Every PromQL expression of the dashboard's panels. */
	List<String> dashboardExpressions() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(folder.resolve("bookmarks-dashboard.json")));
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : dashboard.get("panels")) {
			JsonNode targets = panel.get("targets");
			if (targets != null) {
				targets.forEach(target -> expressions.add(target.get("expr").asString()));
			}
		}
		return expressions;
	}

	/** Every metric name the rules and the dashboard read. */
	Set<String> metricNames() throws IOException {
		List<String> expressions = new ArrayList<>(dashboardExpressions());
		for (Map<String, Object> rule : rules(ruleGroups())) {
			expressions.add(String.valueOf(rule.get("expr")));
		}
		Set<String> names = new TreeSet<>();
		expressions.forEach(expression -> names.addAll(PromQl.metricNames(expression)));
		return names;
	}

	private Map<String, Object> yaml(String file) throws IOException {
		return new Yaml().load(Files.readString(folder.resolve(file)));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> child(Map<String, Object> parent, String key) {
		return (Map<String, Object>) parent.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> groups(Map<String, Object> document) {
		return (List<Map<String, Object>>) document.get("groups");
	}

}
