package dev.bookmarks.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static dev.bookmarks.deploy.Manifests.list;
import static dev.bookmarks.deploy.Manifests.mainContainer;
import static dev.bookmarks.deploy.Manifests.map;
import static dev.bookmarks.deploy.Manifests.name;
import static dev.bookmarks.deploy.Manifests.podLabels;
import static dev.bookmarks.deploy.Manifests.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

/** What production promises beyond the base: redundancy, scaling, TLS, durable Kafka and PostgreSQL, isolation. */
class ProdOverlayTest {

	private final Manifests prod = Manifests.of("prod");

	@Test
	void everyServiceRunsAtLeastTwoReplicasSpreadOverZonesWithAnAutoscalerAndADisruptionBudget() {
		for (String service : Repository.serviceModules()) {
			Map<String, Object> deployment = prod.get("Deployment", service);
			assertThat((Integer) map(deployment, "spec").get("replicas")).as(service).isGreaterThanOrEqualTo(2);
			assertThat(list(podSpec(deployment), "topologySpreadConstraints")).as(service)
				.anySatisfy(c -> assertThat(c).containsEntry("topologyKey", "topology.kubernetes.io/zone"));

			Map<String, Object> autoscaler = prod.ofKind("HorizontalPodAutoscaler").stream()
				.filter(h -> service.equals(map(h, "spec", "scaleTargetRef").get("name")))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no HorizontalPodAutoscaler for " + service));
			assertThat(map(autoscaler, "spec", "scaleTargetRef")).containsEntry("kind", "Deployment");
			assertThat((Integer) map(autoscaler, "spec").get("minReplicas")).as(service).isGreaterThanOrEqualTo(2);

			assertThat(prod.ofKind("PodDisruptionBudget")).as(service)
				.anySatisfy(pdb -> assertThat(podLabels(deployment))
					.containsAllEntriesOf(map(pdb, "spec", "selector", "matchLabels")));
		}
	}

	@Test
	void theGatewayIsPublishedOverTlsAtThePublicOriginAndNothingElseIs() {
		List<Map<String, Object>> ingresses = prod.ofKind("Ingress");
		assertThat(ingresses).singleElement();
		Map<String, Object> ingress = ingresses.get(0);
		URI origin = URI.create(prod.environment(mainContainer(prod.get("Deployment", "gateway"))).get("BOOKMARKS_PUBLIC_ORIGIN"));
		assertThat(origin.getScheme()).isEqualTo("https");
		assertThat(prod.environment(mainContainer(prod.get("Deployment", "auth-service"))))
			.containsEntry("BOOKMARKS_SECURE_COOKIES", "true")
			.containsEntry("BOOKMARKS_PUBLIC_ORIGIN", origin.toString());
		assertThat(list(ingress, "spec", "tls")).singleElement()
			.satisfies(tls -> assertThat((List<Object>) tls.get("hosts")).containsExactly(origin.getHost()));
		assertThat(list(ingress, "spec", "rules")).allSatisfy(rule -> {
			assertThat(rule).containsEntry("host", origin.getHost());
			assertThat(list(rule, "http", "paths")).allSatisfy(path -> assertThat(map(path, "backend", "service"))
				.containsEntry("name", "gateway")
				.containsEntry("port", Map.of("name", "http")));
		});
		// The gateway's actuators stay off its Service (and so off the Ingress).
		assertThat(list(prod.get("Service", "gateway"), "spec", "ports")).extracting(p -> p.get("targetPort"))
			.containsExactly("http");
	}

	@Test
	void kafkaHasThreeControllersAndThreeBrokersAndEveryTopicThreeReplicasOfWhichTwoAcknowledge() {
		List<Map<String, Object>> pools = prod.ofKind("KafkaNodePool");
		int controllers = pools.stream().filter(p -> ((List<Object>) map(p, "spec").get("roles")).contains("controller"))
			.mapToInt(p -> (Integer) map(p, "spec").get("replicas")).sum();
		int brokers = pools.stream().filter(p -> ((List<Object>) map(p, "spec").get("roles")).contains("broker"))
			.mapToInt(p -> (Integer) map(p, "spec").get("replicas")).sum();
		assertThat(controllers).isGreaterThanOrEqualTo(3);
		assertThat(brokers).isGreaterThanOrEqualTo(3);
		Map<String, Object> kafka = prod.ofKind("Kafka").get(0);
		assertThat(map(kafka, "spec", "kafka", "config")).containsEntry("min.insync.replicas", 2)
			.containsEntry("default.replication.factor", 3)
			.containsEntry("offsets.topic.replication.factor", 3)
			.containsEntry("auto.create.topics.enable", false);
		assertThat(map(kafka, "spec", "kafka", "rack")).containsEntry("topologyKey", "topology.kubernetes.io/zone");
		assertThat(prod.ofKind("KafkaTopic")).isNotEmpty().allSatisfy(topic -> {
			assertThat(map(topic, "spec")).containsEntry("replicas", 3);
			assertThat(map(topic, "spec", "config")).containsEntry("min.insync.replicas", 2);
		});
	}

	@Test
	void postgresHasThreeInstancesBackupsAndARoleAndDatabasePerService() {
		Map<String, Object> cluster = prod.ofKind("Cluster").get(0);
		assertThat((Integer) map(cluster, "spec").get("instances")).isGreaterThanOrEqualTo(3);
		assertThat(list(cluster, "spec", "plugins")).anySatisfy(p -> assertThat(p).containsEntry("isWALArchiver", true));
		assertThat(prod.ofKind("ScheduledBackup")).singleElement()
			.satisfies(b -> assertThat(map(b, "spec", "cluster")).containsEntry("name", name(cluster)));

		List<Map<String, Object>> roles = list(cluster, "spec", "managed", "roles");
		for (String service : Repository.serviceModules()) {
			ServiceConfig config = ServiceConfig.of(service);
			String databaseVariable = config.variables().keySet().stream().filter(v -> v.endsWith("_DB_NAME")).findFirst().orElse(null);
			if (databaseVariable == null) {
				continue;
			}
			Map<String, Object> container = mainContainer(prod.get("Deployment", service));
			Map<String, String> environment = prod.environment(container);
			String database = environment.get(databaseVariable);
			assertThat(database).as(service + " " + databaseVariable).isNotNull();
			Map<String, Object> databaseObject = prod.ofKind("Database").stream()
				.filter(d -> database.equals(map(d, "spec").get("name")))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no Database " + database + " for " + service));
			assertThat(map(databaseObject, "spec", "cluster")).containsEntry("name", name(cluster));
			Object owner = map(databaseObject, "spec").get("owner");
			Map<String, Object> role = roles.stream().filter(r -> owner.equals(r.get("name"))).findFirst()
				.orElseThrow(() -> new AssertionError("no managed role " + owner));
			// The service logs in as the owner, with the password the operator set from the same Secret.
			String secret = (String) map(role, "passwordSecret").get("name");
			assertThat(environment).as(service).containsEntry("BOOKMARKS_DB_USER", "<" + secret + "/username>")
				.containsEntry("BOOKMARKS_DB_PASSWORD", "<" + secret + "/password>");
		}
		assertThat(roles).extracting(r -> map(r, "passwordSecret").get("name")).doesNotHaveDuplicates();
	}

	@Test
	void everyAuthServiceReplicaSignsWithTheOneKeyFromASecret() {
		Map<String, Object> deployment = prod.get("Deployment", "auth-service");
		Map<String, Object> container = mainContainer(deployment);
		String location = prod.environment(container).get("BOOKMARKS_AUTH_SIGNING_KEY_LOCATION");
		Map<String, Object> mount = list(container, "volumeMounts").stream()
			.filter(m -> location.startsWith(m.get("mountPath") + "/"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("the signing key " + location + " is on no volume"));
		Map<String, Object> volume = list(podSpec(deployment), "volumes").stream()
			.filter(v -> mount.get("name").equals(v.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(map(volume, "secret")).containsEntry("secretName", "auth-signing-key").doesNotContainKey("optional");
	}

	@Test
	void networkPoliciesCloseEveryServiceAndKeepBookmarkServiceOffTheClusterPrivateAndMetadataAddresses() {
		Map<String, Object> deny = prod.get("NetworkPolicy", "bookmarks-services-default-deny");
		assertThat((List<Object>) map(deny, "spec").get("policyTypes")).containsExactlyInAnyOrder("Ingress", "Egress");
		assertThat((List<Object>) list(deny, "spec", "podSelector", "matchExpressions").get(0).get("values"))
			.containsExactlyInAnyOrderElementsOf(new ArrayList<Object>(Repository.serviceModules()));
		for (String service : Repository.serviceModules()) {
			assertThat(prod.find("NetworkPolicy", service)).as(service).isPresent();
		}
		List<Map<String, Object>> blocks = list(prod.get("NetworkPolicy", "bookmark-service"), "spec", "egress").stream()
			.flatMap(rule -> list(rule, "to").stream())
			.map(peer -> map(peer, "ipBlock"))
			.filter(block -> !block.isEmpty())
			.toList();
		assertThat(blocks).anySatisfy(block -> {
			assertThat(block).containsEntry("cidr", "0.0.0.0/0");
			assertThat((List<Object>) block.get("except")).contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
					"169.254.0.0/16", "100.64.0.0/10", "127.0.0.0/8");
		});
		assertThat(blocks).anySatisfy(block -> {
			assertThat(block).containsEntry("cidr", "::/0");
			assertThat((List<Object>) block.get("except")).contains("fc00::/7", "fe80::/10", "::1/128");
		});
		assertThat(blocks).allSatisfy(block -> assertThat(block.get("except")).isNotNull());
	}

}
