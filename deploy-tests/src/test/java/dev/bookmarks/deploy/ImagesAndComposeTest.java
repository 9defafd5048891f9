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
