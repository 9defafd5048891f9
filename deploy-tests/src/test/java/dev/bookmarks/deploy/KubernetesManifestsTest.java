package dev.bookmarks.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import static dev.bookmarks.deploy.Manifests.id;
import static dev.bookmarks.deploy.Manifests.list;
import static dev.bookmarks.deploy.Manifests.mainContainer;
import static dev.bookmarks.deploy.Manifests.map;
import static dev.bookmarks.deploy.Manifests.name;
import static dev.bookmarks.deploy.Manifests.podLabels;
import static dev.bookmarks.deploy.Manifests.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every overlay under deploy/k8s/overlays, rendered with kubectl kustomize: valid against the schemas, and consistent
 * with itself and with the services' own configuration (their application.yml).
 */
class KubernetesManifestsTest {

	static List<String> overlays() {
		return Manifests.overlays();
	}

	@Test
	void thereAreADevAndAProdOverlay() {
		assertThat(overlays()).contains("dev", "prod");
	}

	@ParameterizedTest
	@MethodSource("overlays")
	void everyObjectMatchesItsSchemaWithoutUnknownFields(String overlay) {
		List<String> problems = new ArrayList<>();
		for (Map<String, Object> object : Manifests.of(overlay).objects) {
			problems.addAll(Schemas.problems(object));
		}
		assertThat(problems).as(overlay).isEmpty();
	}

	@Test
	void theSchemaCheckRefusesUnknownFieldsAndWrongTypes() {
		Yaml yaml = new Yaml();
		Map<String, Object> deployment = yaml.load("""
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: typo}
				spec:
				  replica: 2
				  selector: {matchLabels: {a: b}}
				  template:
				    metadata: {labels: {a: b}}
				    spec:
				      containers: [{name: c, image: i, readinessProbe: {httpGet: {path: /, prot: 80}}}]
				""");
		Map<String, Object> topic = yaml.load("""
				apiVersion: kafka.strimzi.io/v1beta2
				kind: KafkaTopic
				metadata: {name: t}
				spec: {partition: 3, replicas: "3"}
				""");
		Map<String, Object> cluster = yaml.load("""
				apiVersion: postgresql.cnpg.io/v1
				kind: Cluster
				metadata: {name: db}
				spec:
				  instances: 3
				  affinity: {topologyKey: zone, podAntiAffinityType: mandatory}
				  resources: {limit: {memory: 1Gi}}
				""");
		Map<String, Object> unknownKind = yaml.load("""
				apiVersion: example.com/v1
				kind: Widget
				metadata: {name: w}
				""");

		assertThat(Schemas.problems(deployment)).anySatisfy(p -> assertThat(p).contains("replica"))
			.anySatisfy(p -> assertThat(p).contains("prot"));
		assertThat(Schemas.problems(topic)).anySatisfy(p -> assertThat(p).contains("unknown field partition"))
			.anySatisfy(p -> assertThat(p).contains(".spec.replicas: must be integer"));
		assertThat(Schemas.problems(cluster)).anySatisfy(p -> assertThat(p).contains("mandatory"))
			.anySatisfy(p -> assertThat(p).contains("limit"));
		assertThat(Schemas.problems(unknownKind)).singleElement().asString().contains("no schema");
	}

	@Test
	void everyServiceModuleHasABaseWithADeploymentServiceAndServiceAccount() {
		Manifests base = Manifests.base();
		for (String service : Repository.serviceModules()) {
			assertThat(base.find("Deployment", service)).as(service + " Deployment").isPresent();
			assertThat(base.find("Service", service)).as(service + " Service").isPresent();
			assertThat(base.find("ServiceAccount", service)).as(service + " ServiceAccount").isPresent();
			assertThat(mainContainer(base.get("Deployment", service)).get("image")).isEqualTo("bookmarks/" + service);
		}
		assertThat(base.ofKind("Deployment")).extracting(Manifests::name)
			.containsExactlyInAnyOrderElementsOf(Repository.serviceModules());
	}

	@ParameterizedTest
	@MethodSource("overlays")
	void everyServiceSelectsThePodsOfAWorkloadOnAPortTheyOpen(String overlay) {
		Manifests manifests = Manifests.of(overlay);
		List<Map<String, Object>> workloads = new ArrayList<>(manifests.ofKind("Deployment"));
		workloads.addAll(manifests.ofKind("StatefulSet"));
		for (Map<String, Object> service : manifests.ofKind("Service")) {
			Map<String, Object> selector = map(service, "spec", "selector");
			assertThat(selector).as(id(service) + " selector").isNotEmpty();
			List<Map<String, Object>> selected = workloads.stream()
				.filter(w -> podLabels(w).entrySet().containsAll(selector.entrySet()))
				.toList();
			assertThat(selected).as(id(service) + " selects the pods of a Deployment or StatefulSet").isNotEmpty();
			for (Map<String, Object> port : list(service, "spec", "ports")) {
				Object target = port.getOrDefault("targetPort", port.get("port"));
				for (Map<String, Object> workload : selected) {
					assertThat(containerPorts(workload)).as(id(service) + " targetPort " + target + " in " + id(workload))
						.anySatisfy(p -> assertThat(List.of(String.valueOf(p.get("name")), String.valueOf(p.get("containerPort"))))
							.contains(String.valueOf(target)));
				}
			}
		}
	}

	@ParameterizedTest
	@MethodSource("overlays")
	void everyConfigMapAndSecretUsedExistsOrIsDocumentedAsCreatedOutside(String overlay) {
		Manifests manifests = Manifests.of(overlay);
		Set<String> documented = Repository.documentedExternalObjects();
		Set<String> missing = new TreeSet<>();
		for (Reference reference : references(manifests)) {
			boolean rendered = manifests.find(reference.kind(), reference.name()).isPresent();
			if (!rendered && !documented.contains(reference.name())) {
				missing.add(reference + " used by " + reference.user());
			}
		}
		assertThat(missing).as(overlay + ": referenced, neither rendered nor listed in deploy/README.md's Secrets table")
			.isEmpty();
	}

	@ParameterizedTest
	@MethodSource("overlays")
	void noSecretIsCommitted(String overlay) {
		assertThat(Manifests.of(overlay).ofKind("Secret")).as(overlay).isEmpty();
	}

	/**
	 * The rule: every variable a service reads (ServiceConfig.variables) is set for its container, unless deploy/README.md
	 * lists it under "Variables left at their defaults" for Kubernetes. A variable without a default must always be
	 * set. So a variable added to a service later fails here until the manifests set it or the README says why not.
	 */
	@ParameterizedTest
	@MethodSource("overlays")
	void everyVariableAServiceReadsIsSet(String overlay) {
		Manifests manifests = Manifests.of(overlay);
		Set<String> kept = Repository.defaultsKept("Kubernetes");
		List<String> unset = new ArrayList<>();
		for (String service : Repository.serviceModules()) {
			Map<String, String> environment = manifests.environment(mainContainer(manifests.get("Deployment", service)));
			ServiceConfig.of(service).variables().forEach((variable, fallback) -> {
				if (!environment.containsKey(variable) && (fallback == null || !kept.contains(variable))) {
					unset.add(service + ": " + variable + (fallback == null ? " (no default)" : ""));
				}
			});
		}
		assertThat(unset).as(overlay).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("overlays")
	void everyPortAndProbeMatchesTheServiceConfiguration(String overlay) {
		Manifests manifests = Manifests.of(overlay);
		for (String service : Repository.serviceModules()) {
			Map<String, Object> deployment = manifests.get("Deployment", service);
			Map<String, Object> container = mainContainer(deployment);
			Map<String, String> environment = manifests.environment(container);
			ServiceConfig config = ServiceConfig.of(service);
			int serverPort = config.serverPort(environment);
			int managementPort = config.managementPort(environment);
			String prefix = config.actuatorPrefix(environment);

			assertThat(portNumber(deployment, "http")).as(service + " containerPort http").isEqualTo(serverPort);
			for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
				Map<String, Object> httpGet = map(container, probe, "httpGet");
				assertThat(httpGet).as(service + " " + probe).isNotEmpty();
				assertThat(portNumber(deployment, httpGet.get("port"))).as(service + " " + probe + " port")
					.isEqualTo(managementPort);
				String group = probe.equals("readinessProbe") ? "readiness" : "liveness";
				assertThat(httpGet.get("path")).as(service + " " + probe + " path")
					.isEqualTo(prefix + "/actuator/health/" + group);
			}
			Map<String, Object> kubeService = manifests.get("Service", service);
			assertThat(list(kubeService, "spec", "ports")).as(service + " Service ports")
				.allSatisfy(p -> assertThat(portNumber(deployment, p.get("targetPort"))).isEqualTo(serverPort));

			// Prometheus scrapes the management port (ServiceMonitor through the Service, PodMonitor straight at the pods).
			for (Map.Entry<String, String> monitorKind : Map.of("ServiceMonitor", "endpoints", "PodMonitor", "podMetricsEndpoints").entrySet()) {
				manifests.find(monitorKind.getKey(), service).ifPresent(monitor -> assertThat(list(monitor, "spec", monitorKind.getValue()))
					.as(service + " " + monitorKind.getKey()).isNotEmpty().allSatisfy(endpoint -> {
						assertThat(portNumber(deployment, endpoint.get("port"))).isEqualTo(managementPort);
						assertThat(endpoint.get("path")).isEqualTo(prefix + "/actuator/prometheus");
					}));
			}
			manifests.find("NetworkPolicy", service).ifPresent(policy -> {
				Set<Object> open = new LinkedHashSet<>();
				list(policy, "spec", "ingress").forEach(rule -> list(rule, "ports").forEach(p -> open.add(p.get("port"))));
				assertThat(open).as(service + " NetworkPolicy ingress ports").isNotEmpty()
					.allSatisfy(port -> assertThat((Integer) port).isIn(serverPort, managementPort));
			});
		}
	}

	@ParameterizedTest
	@MethodSource("overlays")
	void everyServiceRunsHardenedAndStopsGracefully(String overlay) {
		Manifests manifests = Manifests.of(overlay);
		for (String service : Repository.serviceModules()) {
			Map<String, Object> deployment = manifests.get("Deployment", service);
			Map<String, Object> pod = podSpec(deployment);
			Map<String, Object> container = mainContainer(deployment);
			assertThat(pod.get("serviceAccountName")).as(service).isEqualTo(service);
			assertThat(pod.get("automountServiceAccountToken")).as(service).isEqualTo(false);
			assertThat(map(pod, "securityContext")).as(service).containsEntry("runAsNonRoot", true)
				.containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
			assertThat(map(container, "securityContext")).as(service)
				.containsEntry("allowPrivilegeEscalation", false)
				.containsEntry("readOnlyRootFilesystem", true)
				.containsEntry("capabilities", Map.of("drop", List.of("ALL")));
			// A read-only root: the JVM's and the service's files go to an emptyDir on /tmp.
			assertThat(list(container, "volumeMounts")).as(service)
				.anySatisfy(m -> assertThat(m).containsEntry("mountPath", "/tmp").containsEntry("name", "tmp"));
			assertThat(list(pod, "volumes")).as(service)
				.anySatisfy(v -> assertThat(v).containsEntry("name", "tmp").containsKey("emptyDir"));
			Map<String, Object> resources = map(container, "resources");
			assertThat(map(resources, "requests")).as(service + " requests").containsKeys("cpu", "memory");
			assertThat(map(resources, "limits")).as(service + " limits").containsKey("memory");
			// The JVM sizes its heap from the limit: requests equal to it leave no room to be killed for overcommit.
			assertThat(map(resources, "limits").get("memory")).isEqualTo(map(resources, "requests").get("memory"));

			List<Object> preStop = (List<Object>) map(container, "lifecycle", "preStop", "exec").get("command");
			int pause = preStop != null && preStop.size() == 2 && "sleep".equals(preStop.get(0))
					? Integer.parseInt(preStop.get(1).toString()) : 0;
			int grace = (Integer) pod.getOrDefault("terminationGracePeriodSeconds", 30);
			assertThat(grace).as(service + ": terminationGracePeriodSeconds longer than preStop plus graceful shutdown")
				.isGreaterThan(pause + Repository.shutdownSeconds(service));
		}
	}

	@ParameterizedTest
	@MethodSource("overlays")
	void everyTopicAndItsDeadLetterTopicIsAKafkaTopicAsTheServicesExpect(String overlay) {
		Manifests manifests = Manifests.of(overlay);
		Map<String, Object> common = map(manifests.configMapNamed("bookmarks-common"), "data");
		for (String topic : Repository.topics()) {
			for (String name : List.of(topic, topic + Repository.deadLetterSuffix())) {
				Map<String, Object> kafkaTopic = manifests.ofKind("KafkaTopic").stream()
					.filter(t -> name.equals(map(t, "spec").getOrDefault("topicName", name(t))))
					.findFirst()
					.orElseThrow(() -> new AssertionError(overlay + ": no KafkaTopic for " + name));
				Map<String, Object> spec = map(kafkaTopic, "spec");
				assertThat(String.valueOf(spec.get("partitions"))).as(name + " partitions")
					.isEqualTo(common.get("BOOKMARKS_KAFKA_TOPICS_PARTITIONS"));
				assertThat(String.valueOf(spec.get("replicas"))).as(name + " replicas")
					.isEqualTo(common.get("BOOKMARKS_KAFKA_TOPICS_REPLICATION_FACTOR"));
				assertThat(String.valueOf(map(spec, "config").get("min.insync.replicas"))).as(name + " min.insync.replicas")
					.isEqualTo(common.get("BOOKMARKS_KAFKA_TOPICS_MIN_INSYNC_REPLICAS"));
				assertThat(map(kafkaTopic, "metadata", "labels")).containsEntry("strimzi.io/cluster",
						name(manifests.ofKind("Kafka").get(0)));
			}
		}
		assertThat(common).containsEntry("SPRING_KAFKA_ADMIN_AUTO_CREATE", "false");
	}

	private static List<Map<String, Object>> containerPorts(Map<String, Object> workload) {
		List<Map<String, Object>> ports = new ArrayList<>();
		list(podSpec(workload), "containers").forEach(c -> ports.addAll(list(c, "ports")));
		return ports;
	}

	/** The number of a container port given by name or number. */
	static int portNumber(Map<String, Object> workload, Object port) {
		if (port instanceof Integer number) {
			return number;
		}
		return containerPorts(workload).stream()
			.filter(p -> String.valueOf(port).equals(p.get("name")))
			.map(p -> (Integer) p.get("containerPort"))
			.findFirst()
			.orElseThrow(() -> new AssertionError(id(workload) + " has no container port " + port));
	}

	record Reference(String kind, String name, String user) {
		@Override
		public String toString() {
			return kind + " " + name;
		}
	}

	/** The ConfigMaps and Secrets the objects use: pods' env, envFrom and volumes, and the operators' resources. */
	static List<Reference> references(Manifests manifests) {
		List<Reference> references = new ArrayList<>();
		for (Map<String, Object> object : manifests.objects) {
			String user = id(object);
			Map<String, Object> pod = podSpec(object);
			List<Map<String, Object>> containers = new ArrayList<>(list(pod, "containers"));
			containers.addAll(list(pod, "initContainers"));
			for (Map<String, Object> container : containers) {
				for (Map<String, Object> source : list(container, "envFrom")) {
					reference(references, "ConfigMap", map(source, "configMapRef"), user);
					reference(references, "Secret", map(source, "secretRef"), user);
				}
				for (Map<String, Object> variable : list(container, "env")) {
					reference(references, "ConfigMap", map(variable, "valueFrom", "configMapKeyRef"), user);
					reference(references, "Secret", map(variable, "valueFrom", "secretKeyRef"), user);
				}
			}
			for (Map<String, Object> volume : list(pod, "volumes")) {
				reference(references, "ConfigMap", map(volume, "configMap"), user);
				Map<String, Object> secret = map(volume, "secret");
				if (secret.get("secretName") != null) {
					references.add(new Reference("Secret", (String) secret.get("secretName"), user));
				}
			}
			list(object, "spec", "tls").forEach(tls -> references.add(new Reference("Secret", (String) tls.get("secretName"), user)));
			list(object, "spec", "managed", "roles").forEach(role -> reference(references, "Secret", map(role, "passwordSecret"), user));
			Map<String, Object> credentials = map(object, "spec", "configuration", "s3Credentials");
			credentials.values().forEach(selector -> reference(references, "Secret", cast(selector), user));
		}
		return references;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cast(Object value) {
		return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
	}

	private static void reference(List<Reference> references, String kind, Map<String, Object> ref, String user) {
		if (ref.get("name") != null) {
			references.add(new Reference(kind, (String) ref.get("name"), user));
		}
	}

}
