package dev.bookmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code deploy/local/bookmarks up} says before anything runs: a JDK that is too old, and the first build's
 * progress. Runs a copy of the script in a scratch repository whose {@code mvnw} stands in for Maven, printing what
 * Maven prints, so no stack and no real build are needed.
 */
class LocalScriptTest {

	@TempDir
	Path root;

	@Test
	void aJdkOlderThan17IsToldWhatToDo() throws Exception {
		for (String version : List.of("11.0.22", "1.8.0_392")) {
			Path jdk = root.resolve("jdk-" + version);
			executable(jdk.resolve("bin/java"), "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2024-01-16' >&2\n");
			Result up = run(Map.of("JAVA_HOME", jdk.toString()), "up");
			assertThat(up.exitCode()).isEqualTo(1);
			assertThat(up.output()).contains("Bookmarks needs Java 17 or newer, but " + jdk.resolve("bin/java") + " is Java "
					+ (version.startsWith("1.8") ? "8" : "11"))
				.contains("point JAVA_HOME at it");
			assertThat(root.resolve("home/logs/build.log")).doesNotExist();
		}
	}

	@Test
	void theFirstBuildShowsEachModuleTheElapsedTimeAndWhereTheLogIs() throws Exception {
		fakeMaven(true);
		Result up = run(Map.of(), "up");
		Path log = root.resolve("home/logs/build.log");
		assertThat(up.output()).contains("Building (jars missing: 7): ./mvnw -B -DskipTests package")
			.contains("full build log: " + log)
			.containsPattern("\\[1/3\\] event-contracts +\\(0:0\\d\\)")
			.containsPattern("\\[2/3\\] dev-infra +\\(0:0\\d\\)")
			.containsPattern("\\[3/3\\] gateway +\\(0:0\\d\\)")
			.containsPattern("Built in 0:0\\d \\(3 files downloaded; log: " + log + "\\)");
		assertThat(Files.readString(log)).contains("[INFO] Building dev-infra 0.1.0-SNAPSHOT");
		// the jars here are empty stand-ins: the infrastructure cannot start from them
		assertThat(up.exitCode()).isEqualTo(1);
	}

	@Test
	void aFailedBuildShowsItsErrorsAndTheLog() throws Exception {
		fakeMaven(false);
		Result up = run(Map.of(), "up");
		assertThat(up.exitCode()).isEqualTo(1);
		assertThat(up.output()).contains("[2/3] dev-infra")
			.contains("[ERROR] Failed to execute goal on project dev-infra: Compilation failure")
			.contains("[ERROR] /src/Broken.java:[3,1] class, interface, enum, or record expected")
			.containsPattern("build failed after 0:0\\d; full log: " + root.resolve("home/logs/build.log"))
			.doesNotContain("Re-run Maven");
	}

	/** A repository with the real script and a mvnw that prints what Maven prints and builds the jars, or fails. */
	private void fakeMaven(boolean succeed) throws IOException {
		StringBuilder script = new StringBuilder("#!/usr/bin/env bash\necho '[INFO] Scanning for projects...'\n");
		List<String> modules = List.of("event-contracts", "dev-infra", "gateway");
		for (int i = 0; i < modules.size(); i++) {
			script.append("echo '[INFO] Downloaded from central: https://repo.example/m").append(i).append(".jar (1 kB)'\n")
				.append("echo '[INFO] ------------------< dev.bookmarks:").append(modules.get(i)).append(" >------------------'\n")
				.append("echo '[INFO] Building ").append(modules.get(i)).append(" 0.1.0-SNAPSHOT                          [")
				.append(i + 1).append("/3]'\n")
				.append("sleep 1.2\n");
			if (!succeed && i == 1) {
				script.append("""
						echo '[ERROR] /src/Broken.java:[3,1] class, interface, enum, or record expected'
						echo '[ERROR] Failed to execute goal on project dev-infra: Compilation failure'
						echo '[ERROR] -> [Help 1]'
						echo '[ERROR] Re-run Maven using the -X switch to enable full debug logging.'
						exit 1
						""");
			}
		}
		for (String module : List.of("gateway", "auth-service", "bookmark-service", "social-graph-service", "activity-service",
				"ranking-service")) {
			script.append("mkdir -p ").append(module).append("/target && : > ").append(module).append("/target/").append(module)
				.append("-0.1.0-SNAPSHOT.jar\n");
		}
		script.append("mkdir -p dev-infra/target && : > dev-infra/target/dev-infra-0.1.0-SNAPSHOT-launcher.jar\n");
		executable(root.resolve("mvnw"), script.toString());
	}

	private Result run(Map<String, String> environment, String... arguments) throws Exception {
		Path project = Path.of(System.getProperty("bookmarks.project.dir", "..")).toRealPath();
		Path local = root.resolve("deploy/local");
		Files.createDirectories(local);
		try (Stream<Path> files = Files.list(project.resolve("deploy/local"))) {
			for (Path file : files.toList()) {
				Files.copy(file, local.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
						java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
			}
		}
		Path output = root.resolve("output.txt");
		ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(local.resolve("bookmarks").toString()),
				Stream.of(arguments)).toList()).directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
		Map<String, String> env = builder.environment();
		env.keySet().removeIf(key -> key.startsWith("BOOKMARKS_"));
		env.put("JAVA_HOME", System.getProperty("java.home"));
		env.put("BOOKMARKS_HOME", root.resolve("home").toString());
		env.put("BOOKMARKS_INFRA_TIMEOUT", "20");
		List<String> named = List.of("GATEWAY", "GATEWAY_MANAGEMENT", "GATEWAY_HTTPS", "AUTH", "BOOKMARK", "GRAPH", "ACTIVITY",
				"RANKING", "PG", "REDIS", "KAFKA", "KAFKA_CONTROLLER", "SMTP", "MAIL_UI");
		FreePorts ports = FreePorts.take(named.size());
		for (String port : named) {
			env.put("BOOKMARKS_" + port + "_PORT", String.valueOf(ports.next()));
		}
		env.putAll(environment);
		Process process = builder.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the script finished").isTrue();
		return new Result(process.exitValue(), Files.readString(output));
	}

	private static void executable(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	record Result(int exitCode, String output) {
	}

}
