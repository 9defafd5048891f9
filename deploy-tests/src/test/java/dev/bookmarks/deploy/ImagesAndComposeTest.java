package dev.bookmarks.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static dev.bookmarks.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image definition and the Compose file, checked statically: no Docker engine runs where these tests run, so
 * nothing is built or started here.
 */
class ImagesAndComposeTest {

	private static final Path DOCKERFILE = Repository.DEPLOY.resolve("images/Dockerfile");

	private static final Path COMPOSE = Repository.DEPLOY.resolve("compose/compose.yaml");

	private final String dockerfile = Repository.read(DOCKERFILE);

	@SuppressWarnings("unchecked")
	private final Map<String, Object> compose = new Yaml().load(Repository.read(COMPOSE));

	@Test
	void everyServiceTheBuildProducesHasAnImageBuiltFromTheDockerfile() {
		assertThat(Repository.serviceModules()).hasSizeGreaterThanOrEqualTo(6);
		for (String service : Repository.serviceModules()) {
			Map<String, Object> build = map(composeService(service), "build");
			assertThat(build).as(service).containsEntry("context", "../..");
			assertThat(COMPOSE.getParent().resolve((String) build.get("context")).resolve((String) build.get("dockerfile")).normalize())
				.as(service).isEqualTo(DOCKERFILE);
			assertThat(map(build, "args")).as(service).containsEntry("SERVICE", service);
			assertThat((String) composeService(service).get("image")).as(service).startsWith("bookmarks/" + service + ":");
			// The jar the Dockerfile copies is where the build puts it.
			assertThat(Repository.ROOT.resolve(service).resolve("pom.xml")).exists();
		}
		assertThat(dockerfile).contains("COPY ${SERVICE}/target/${SERVICE}-${VERSION}.jar app.jar");
		Matcher version = Pattern.compile("ARG VERSION=(\\S+)").matcher(dockerfile);
		assertThat(version.find()).isTrue();
		assertThat(Repository.read(Repository.ROOT.resolve("pom.xml"))).contains("<version>" + version.group(1) + "</version>");
		assertThat(Repository.read(Repository.DEPLOY.resolve("images/Dockerfile.dockerignore"))).contains("!*/target/*.jar");
	}

	@Test
	void theImageRunsTheLayeredJarOnAJreAsAnUnprivilegedUser() {
		assertThat(dockerfile).contains("ARG JRE_IMAGE=eclipse-temurin:17-jre");
		assertThat(dockerfile).contains("-Djarmode=tools -jar app.jar extract --layers");
		// Spring Boot's layers, least changing first, each its own image layer.
		List<String> copied = new ArrayList<>();
		Matcher copy = Pattern.compile("COPY --from=layers /build/extracted/([a-z-]+)/ \\./").matcher(dockerfile);
		while (copy.find()) {
			copied.add(copy.group(1));
		}
		assertThat(copied).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
		Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(dockerfile);
		assertThat(user.find()).as("a numeric USER, so that runAsNonRoot can check it").isTrue();
		assertThat(Integer.parseInt(user.group(1))).isPositive();
		assertThat(dockerfile.indexOf("USER ")).isGreaterThan(dockerfile.lastIndexOf("COPY --from"));
		assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]");
	}

	@Test
	void theJvmIsSizedFromTheContainerMemoryLimit() {
		Matcher options = Pattern.compile("JDK_JAVA_OPTIONS=\"([^\"]+)\"").matcher(dockerfile);
		assertThat(options.find()).isTrue();
		assertThat(options.group(1)).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError")
			// A fixed heap or MaxRAM would ignore the limit.
			.doesNotContain("-Xmx").doesNotContain("-XX:MaxRAM=");
		for (String overlay : Manifests.overlays()) {
			Manifests manifests = Manifests.of(overlay);
			for (String service : Repository.serviceModules()) {
				assertThat(manifests.environment(Manifests.mainContainer(manifests.get("Deployment", service))))
					.as(overlay + " " + service + " keeps the image's JVM options").doesNotContainKeys("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");
			}
		}
	}

	/**
	 * The image's JVM options, run by this JDK with the memory limit of each Deployment as its RAM (what the JVM
	 * sees in a container): the heap, metaspace and code cache it would reserve, plus room for thread stacks, GC and
	 * direct buffers, fit in the limit, and the heap is at least 256 MiB (what the local stack gives a service).
	 */
	@Test
	void theJvmOfEveryServiceFitsItsMemoryLimit() throws Exception {
		Matcher options = Pattern.compile("JDK_JAVA_OPTIONS=\"([^\"]+)\"").matcher(dockerfile);
		assertThat(options.find()).isTrue();
		Map<Long, Map<String, Long>> byLimit = new java.util.HashMap<>();
		for (String overlay : Manifests.overlays()) {
			Manifests manifests = Manifests.of(overlay);
			for (String service : Repository.serviceModules()) {
				String limit = (String) map(Manifests.mainContainer(manifests.get("Deployment", service)), "resources", "limits")
					.get("memory");
				long limitBytes = bytes(limit);
				Map<String, Long> flags = byLimit.get(limitBytes);
				if (flags == null) {
					flags = jvmFlags(options.group(1), limitBytes);
					byLimit.put(limitBytes, flags);
				}
				long heap = flags.get("MaxHeapSize");
				long reserved = heap + flags.get("MaxMetaspaceSize") + flags.get("ReservedCodeCacheSize") + 64L * MIB;
				assertThat(heap).as(overlay + " " + service + " heap with limit " + limit).isGreaterThanOrEqualTo(256 * MIB);
				assertThat(reserved).as(overlay + " " + service + " heap, metaspace, code cache and 64 MiB within " + limit)
					.isLessThanOrEqualTo(limitBytes);
			}
		}
	}

	private static final long MIB = 1024 * 1024;

	private static long bytes(String quantity) {
		Matcher q = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
		assertThat(q.matches()).as("memory limit " + quantity + " in Mi or Gi").isTrue();
		return Long.parseLong(q.group(1)) * (q.group(2).equals("Gi") ? 1024 * MIB : MIB);
	}

	private static Map<String, Long> jvmFlags(String options, long ram) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of(options.split("\\s+")));
		command.addAll(List.of("-XX:MaxRAM=" + ram, "-XX:+PrintFlagsFinal", "-version"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(out).isZero();
		Map<String, Long> flags = new java.util.HashMap<>();
		Matcher flag = Pattern.compile("(?m)^\\s*\\S+\\s+(MaxHeapSize|MaxMetaspaceSize|ReservedCodeCacheSize)\\s+=\\s+(\\d+)").matcher(out);
		while (flag.find()) {
			flags.put(flag.group(1), Long.parseLong(flag.group(2)));
		}
		assertThat(flags).as(out).containsKeys("MaxHeapSize", "MaxMetaspaceSize", "ReservedCodeCacheSize");
		return flags;
	}

	/** The same rule as on Kubernetes, with the Compose column of deploy/README.md's table of kept defaults. */
	@Test
	void theComposeFileRunsEveryServiceWithEveryVariableItReads() {
		List<String> unset = new ArrayList<>();
		for (String service : Repository.serviceModules()) {
			Map<String, Object> environment = map(composeService(service), "environment");
			ServiceConfig.of(service).variables().forEach((variable, fallback) -> {
				if (!environment.containsKey(variable)
						&& (fallback == null || !Repository.defaultsKept("Compose").contains(variable))) {
					unset.add(service + ": " + variable);
				}
			});
			assertThat(composeService(service)).as(service).containsEntry("read_only", true);
			assertThat((List<Object>) composeService(service).get("tmpfs")).as(service).contains("/tmp");
		}
		assertThat(unset).isEmpty();
	}

	@Test
	void theComposeFileHasTheInfrastructureTheServicesReach() {
		assertThat(map(compose, "services")).containsKeys("postgres", "redis", "kafka");
		String init = Repository.read(COMPOSE.getParent().resolve("postgres-init.sql"));
		for (String service : Repository.serviceModules()) {
			ServiceConfig.of(service).variables().forEach((variable, fallback) -> {
				if (variable.endsWith("_DB_NAME")) {
					Object database = map(composeService(service), "environment").getOrDefault(variable, fallback);
					assertThat(init).as(service).contains("CREATE DATABASE " + database + ";");
				}
			});
		}
	}

	@Test
	void theComposeFileIsWhereTheReadmeSays() {
		assertThat(Repository.read(Repository.DEPLOY.resolve("README.md"))).contains("docker compose -f deploy/compose/compose.yaml");
	}

	private Map<String, Object> composeService(String service) {
		Map<String, Object> definition = map(compose, "services", service);
		assertThat(definition).as("deploy/compose/compose.yaml service " + service).isNotEmpty();
		return definition;
	}

}
