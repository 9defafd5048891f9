package dev.bookmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A developer's first minutes and a bad day after: {@code deploy/local/bookmarks demo} fills the site through the
 * gateway (and a second run adds nothing), then the machine "crashes" (every JVM of the stack killed, PostgreSQL
 * killed, files left as a power loss leaves them) and {@code up} must start cleanly from what is left. One stack for
 * all of it: each {@code up} takes minutes on a busy machine.
 */
class FirstRunIT {

	private static final List<String> PEOPLE = List.of("ada", "grace", "alan", "edsger", "barbara", "donald", "margaret",
			"katherine", "dennis", "frances", "radia", "niklaus");

	@Test
	void theDemoFillsTheSiteOnceAndUpRecoversFromACrash() throws Exception {
		try (LocalStack stack = LocalStack.start()) {
			// the demo, twice
			LocalStack.Output first = stack.run(Duration.ofMinutes(10), "demo");
			assertThat(first.exitCode()).as(first.text()).isZero();
			assertThat(first.text()).contains("people: 12 with profile photos", "pictures: 36 saved", "Log in at")
				.contains("ada, grace, alan").contains("bookmarks-demo-2026");
			MobileClient client = new MobileClient(stack.origin());
			String token = client.logIn("ada", "bookmarks-demo-2026").get("access_token").asString();
			Map<String, String> site = awaitDemoCounts(client, token);

			LocalStack.Output second = stack.run(Duration.ofMinutes(10), "demo");
			assertThat(second.exitCode()).as(second.text()).isZero();
			assertThat(second.text()).contains("(0 things created this time)")
				.contains("views: 0 (all pictures were viewed by an earlier run)");
			assertThat(awaitDemoCounts(client, token)).isEqualTo(site);
			JsonNode adasPicture = client.json(client.get("/api/images?owner=ada&limit=1", token)).get("items").get(0);
			JsonNode rankingBefore = client.json(client.get("/api/rankings/images/" + adasPicture.get("id").asString(), token));

			// the crash
			Process unrelated = new ProcessBuilder("sleep", "600").start(); // a live process that is not ours
			try {
				crash(stack, unrelated.pid());

				LocalStack.Output up = stack.run(Duration.ofMinutes(10), "up");
				assertThat(up.exitCode()).as(up.text()).isZero();
				assertThat(up.text()).contains("Bookmarks is running")
					.contains("ranking-service: a process of an earlier run is still there without its pid file");
				assertThat(unrelated.isAlive()).as("a process the script did not start is never signalled").isTrue();
				assertThat(Files.readString(stack.logFile("infra"))).contains("Removed a stale")
					.contains("postmaster.pid");
				assertThat(stack.run(Duration.ofSeconds(60), "status").exitCode()).isZero();
			}
			finally {
				unrelated.destroy();
			}

			// everything is still there, and events still flow (a new client: the old one's auth-service session
			// would send the authorize request straight to the callback)
			client = new MobileClient(stack.origin());
			String again = client.logIn("grace", "bookmarks-demo-2026").get("access_token").asString();
			assertThat(awaitDemoCounts(client, again)).isEqualTo(site);
			assertThat(client.get("/api/images/" + adasPicture.get("id").asString(), again).statusCode()).isEqualTo(200);
			long viewsBefore = rankingBefore.get("views").asLong();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			long views = viewsBefore;
			while (views <= viewsBefore && System.nanoTime() < deadline) {
				Thread.sleep(500);
				views = client.json(client.get("/api/rankings/images/" + adasPicture.get("id").asString(), again))
					.get("views")
					.asLong();
			}
			assertThat(views).as("a view after the recovery is counted").isEqualTo(viewsBefore + 1);
		}
	}

	/**
	 * What a crash leaves: every JVM killed at once except ranking-service, which stays running without its pid file
	 * (still holding its port); the postmaster killed and its pid file naming a live process that is not PostgreSQL
	 * (pids are reused after a reboot); stale pid files, one naming that same live process, one a dead pid; Kafka
	 * logs cut off in the middle of a record batch.
	 */
	private static void crash(LocalStack stack, long unrelatedPid) throws IOException, InterruptedException {
		Path home = stack.home();
		for (String component : List.of("infra", "gateway", "auth-service", "bookmark-service", "social-graph-service",
				"activity-service")) {
			kill(Long.parseLong(Files.readString(stack.pidFile(component)).trim()));
		}
		Files.delete(stack.pidFile("ranking-service"));
		Path postmasterPid = home.resolve("data/postgres/postmaster.pid");
		List<String> lines = Files.readAllLines(postmasterPid);
		kill(Long.parseLong(lines.get(0).trim()));
		lines.set(0, String.valueOf(unrelatedPid));
		Files.write(postmasterPid, lines);
		Files.writeString(stack.pidFile("infra"), unrelatedPid + "\n");
		Process finished = new ProcessBuilder("true").start();
		finished.waitFor();
		Files.writeString(stack.pidFile("gateway"), finished.pid() + "\n");
		for (String partition : List.of("bookmarks.image-events-0", "__cluster_metadata-0")) {
			try (Stream<Path> files = Files.list(home.resolve("data/kafka").resolve(partition))) {
				Path active = files.filter(f -> f.toString().endsWith(".log")).max(Path::compareTo).orElseThrow();
				// a batch header promising 4 KiB followed by a few bytes
				Files.write(active, new byte[] { 0, 0, 0, 0, 0, 0, 3, (byte) 0xE7, 0, 0, 16, 0, 0, 0, 0, 0, 2, 7, 7, 7 },
						StandardOpenOption.APPEND);
			}
		}
	}

	private static void kill(long pid) throws InterruptedException {
		ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
		process.destroyForcibly();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (process.isAlive() && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(process.isAlive()).as("pid " + pid + " killed").isFalse();
	}

	/**
	 * Each person's followers, following and pictures as the people directory shows them, once the demo's events
	 * have all arrived: everyone has 3 pictures and follows ada.
	 */
	private static Map<String, String> awaitDemoCounts(MobileClient client, String token) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		Map<String, String> counts = new TreeMap<>();
		while (System.nanoTime() < deadline) {
			counts.clear();
			for (String person : PEOPLE) {
				JsonNode user = client.json(client.get("/api/users/" + person, token));
				counts.put(person, user.path("followers").asInt() + " followers, " + user.path("following").asInt()
						+ " following, " + user.path("images").asInt() + " images, photo "
						+ !user.path("photoUrl").isNull());
			}
			if (counts.values().stream().allMatch(c -> c.contains(" 3 images, photo true"))
					&& counts.get("ada").startsWith("11 followers")) {
				return Map.copyOf(counts);
			}
			Thread.sleep(1000);
		}
		throw new AssertionError("the demo's people did not show up complete: " + counts);
	}

}
