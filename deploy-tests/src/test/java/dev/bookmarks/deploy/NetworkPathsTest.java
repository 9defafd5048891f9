package dev.bookmarks.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static dev.bookmarks.deploy.Manifests.list;
import static dev.bookmarks.deploy.Manifests.mainContainer;
import static dev.bookmarks.deploy.Manifests.map;
import static dev.bookmarks.deploy.Manifests.name;
import static dev.bookmarks.deploy.Manifests.podLabels;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NetworkPolicies of prod against the configuration: every address in the cluster that a service is told to
 * reach (a variable it reads naming a Service, CloudNativePG's or Strimzi's) is allowed out of the service and into
 * the pods behind that address. A policy that forgot a path would break production only once applied.
 */
class NetworkPathsTest {

	private static final Pattern URL_HOST = Pattern.compile("://(?:[^@/]*@)?([a-z0-9-]+)(?::(\\d+))?");

	private static final Pattern HOST_PORT = Pattern.compile("^([a-z0-9-]+):(\\d+)$");

	private final Manifests prod = Manifests.of("prod");

	record Target(String address, Map<String, Object> podLabels, int port) {
	}

	@Test
	void everyServiceMayReachTheAddressesItsConfigurationNames() {
		List<String> blocked = new ArrayList<>();
		int paths = 0;
		for (String service : Repository.serviceModules()) {
			Map<String, Object> deployment = prod.get("Deployment", service);
			Map<String, String> environment = prod.environment(mainContainer(deployment));
			Map<String, Object> policy = prod.get("NetworkPolicy", service);
			for (String variable : ServiceConfig.of(service).variables().keySet()) {
				for (Target target : targets(variable, environment)) {
					paths++;
					if (!allows(list(policy, "spec", "egress"), "to", target.podLabels(), target.port())) {
						blocked.add(service + " -> " + target.address() + " (" + variable + "): no egress");
					}
					if (!admitted(target, podLabels(deployment))) {
						blocked.add(service + " -> " + target.address() + " (" + variable + "): no ingress there");
					}
				}
			}
		}
		assertThat(paths).as("paths found in the configuration").isGreaterThanOrEqualTo(20);
		assertThat(blocked).isEmpty();
	}

	/** The addresses in the cluster a variable's value names; addresses outside (S3, SMTP) are not targets. */
	private List<Target> targets(String variable, Map<String, String> environment) {
		String value = environment.get(variable);
		List<Target> targets = new ArrayList<>();
		if (value == null) {
			return targets;
		}
		Matcher url = URL_HOST.matcher(value);
		Matcher hostPort = HOST_PORT.matcher(value);
		if (url.find() && url.group(2) != null) {
			target(url.group(1), Integer.parseInt(url.group(2)), targets);
		}
		else if (hostPort.matches()) {
			target(hostPort.group(1), Integer.parseInt(hostPort.group(2)), targets);
		}
		else if (variable.endsWith("_HOST") && environment.containsKey(variable.replaceFirst("_HOST$", "_PORT"))) {
			target(value, Integer.parseInt(environment.get(variable.replaceFirst("_HOST$", "_PORT"))), targets);
		}
		return targets;
	}

	private void target(String host, int port, List<Target> targets) {
		prod.find("Service", host).ifPresent(service -> {
			Map<String, Object> selector = map(service, "spec", "selector");
			Map<String, Object> workload = workloadSelectedBy(selector);
			for (Map<String, Object> servicePort : list(service, "spec", "ports")) {
				if (Integer.valueOf(port).equals(servicePort.get("port"))) {
					int podPort = KubernetesManifestsTest.portNumber(workload, servicePort.getOrDefault("targetPort", port));
					targets.add(new Target(host + ":" + port, selector, podPort));
				}
			}
		});
		for (Map<String, Object> cluster : prod.ofKind("Cluster")) {
			if (host.equals(name(cluster) + "-rw")) {
				targets.add(new Target(host + ":" + port, Map.of("cnpg.io/cluster", name(cluster)), port));
			}
		}
		for (Map<String, Object> kafka : prod.ofKind("Kafka")) {
			if (host.equals(name(kafka) + "-kafka-bootstrap")) {
				targets.add(new Target(host + ":" + port, Map.of("strimzi.io/cluster", name(kafka)), port));
			}
		}
	}

	private Map<String, Object> workloadSelectedBy(Map<String, Object> selector) {
		List<Map<String, Object>> workloads = new ArrayList<>(prod.ofKind("Deployment"));
		workloads.addAll(prod.ofKind("StatefulSet"));
		return workloads.stream()
			.filter(w -> podLabels(w).entrySet().containsAll(selector.entrySet()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no workload selected by " + selector));
	}

	/** Whether the pods behind the target take connections from these pods (Kafka: Strimzi's listener peers). */
	private boolean admitted(Target target, Map<String, Object> from) {
		for (Map<String, Object> kafka : prod.ofKind("Kafka")) {
			if (target.podLabels().equals(Map.of("strimzi.io/cluster", name(kafka)))) {
				return list(kafka, "spec", "kafka", "listeners").stream()
					.filter(l -> Integer.valueOf(target.port()).equals(l.get("port")))
					.anyMatch(l -> !l.containsKey("networkPolicyPeers")
							|| list(l, "networkPolicyPeers").stream().anyMatch(peer -> peerSelects(peer, from)));
			}
		}
		List<Map<String, Object>> policies = prod.ofKind("NetworkPolicy").stream()
			.filter(p -> selects(map(p, "spec", "podSelector"), target.podLabels()))
			.filter(p -> ((List<?>) map(p, "spec").getOrDefault("policyTypes", List.of("Ingress"))).contains("Ingress"))
			.toList();
		return policies.isEmpty() || policies.stream()
			.anyMatch(p -> allows(list(p, "spec", "ingress"), "from", from, target.port()));
	}

	/** Whether one of the rules lets traffic on the port to (or from) pods with these labels in this namespace. */
	private static boolean allows(List<Map<String, Object>> rules, String peers, Map<String, Object> labels, int port) {
		return rules.stream().anyMatch(rule -> {
			List<Map<String, Object>> ports = list(rule, "ports");
			boolean portOpen = ports.isEmpty() || ports.stream().anyMatch(p -> Integer.valueOf(port).equals(p.get("port")));
			List<Map<String, Object>> peerList = list(rule, peers);
			return portOpen && (peerList.isEmpty() || peerList.stream().anyMatch(peer -> peerSelects(peer, labels)));
		});
	}

	private static boolean peerSelects(Map<String, Object> peer, Map<String, Object> labels) {
		return peer.containsKey("podSelector") && !peer.containsKey("namespaceSelector")
				&& selects(map(peer, "podSelector"), labels);
	}

	@SuppressWarnings("unchecked")
	static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
		if (!labels.entrySet().containsAll(map(selector, "matchLabels").entrySet())) {
			return false;
		}
		for (Map<String, Object> expression : list(selector, "matchExpressions")) {
			Object value = labels.get(expression.get("key"));
			List<Object> values = (List<Object>) expression.getOrDefault("values", List.of());
			boolean matches = switch ((String) expression.get("operator")) {
				case "In" -> value != null && values.contains(value);
				case "NotIn" -> value == null || !values.contains(value);
				case "Exists" -> value != null;
				case "DoesNotExist" -> value == null;
				default -> false;
			};
			if (!matches) {
				return false;
			}
		}
		return true;
	}

}
