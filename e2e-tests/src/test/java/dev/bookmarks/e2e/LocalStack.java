package dev.bookmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.bookmarks.devinfra.OtlpTraceReceiver;
import dev.bookmarks.devinfra.ReceivedSpan;

/**
 * The whole system as a user runs it: {@code deploy/local/bookmarks up} with its own home folder
 * and free ports, so it runs beside a stack a developer already has up.
 */
final class LocalStack implements AutoCloseable {

	private final Path projectDir;

	private final Path home;

	private final Map<String, String> environment = new HashMap<>();

	private final int gatewayPort;

	private final int picturePort;

	private final int mailUiPort;

	private LocalStack(Path projectDir, Path home) throws IOException {
		this.projectDir = projectDir;
		this.home = home;
		List<String> named = List.of("GATEWAY_MANAGEMENT", "GATEWAY_HTTPS", "AUTH", "BOOKMARK", "GRAPH", "ACTIVITY", "RANKING",
				"PG", "REDIS", "KAFKA", "KAFKA_CONTROLLER", "SMTP");
		FreePorts ports = FreePorts.take(named.size() + 3);
		this.gatewayPort = ports.next();
		environment.put("BOOKMARKS_HOME", home.toString());
		environment.put("BOOKMARKS_SKIP_BUILD", "1");
		// Six JVMs starting at once on two cores shared with other builds can take many minutes.
		environment.put("BOOKMARKS_START_TIMEOUT", "840");
		environment.put("BOOKMARKS_GATEWAY_PORT", String.valueOf(gatewayPort));
		for (String name : named) {
			environment.put("BOOKMARKS_" + name + "_PORT", String.valueOf(ports.next()));
		}
		this.mailUiPort = ports.next();
		environment.put("BOOKMARKS_MAIL_UI_PORT", String.valueOf(mailUiPort));
		environment.put("BOOKMARKS_PUBLIC_ORIGIN", origin());
		environment.put(MARKER, "reaches-every-service");
		// Tests serve pictures from 127.0.0.2 only; every other private address stays refused.
		this.picturePort = ports.next();
		environment.put("BOOKMARKS_FETCH_ALLOWED_NETWORKS", "127.0.0.2/32");
		environment.put("BOOKMARKS_FETCH_ALLOWED_PORTS", "80,443," + picturePort);
		// `bookmarks demo` serves its pictures there too
		environment.put("BOOKMARKS_DEMO_PICTURE_PORT", String.valueOf(picturePort));
	}

	/** A variable given to the script that every service process must inherit. */
	static final String MARKER = "BOOKMARKS_E2E_MARKER";

	/** Starts the stack and waits until the script says every service is ready. */
	static LocalStack start() throws IOException, InterruptedException {
		return start(false);
	}

	/**
	 * Starts the stack with every service exporting all its spans to a receiver in this test
	 * ({@link #spans()}), as an operator's OpenTelemetry collector would get them.
	 */
	static LocalStack startTraced() throws IOException, InterruptedException {
		return start(true);
	}

	private static LocalStack start(boolean traced) throws IOException, InterruptedException {
		Path projectDir = Path.of(System.getProperty("bookmarks.project.dir", "..")).toRealPath();
		// A home of its own per test class: what one class leaves (accounts, auth-service's counts of registrations
		// per client address, rate-limit buckets) must not decide another's results.
		String caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
			.walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
				.filter(type -> type != LocalStack.class)
				.findFirst()
				.map(Class::getSimpleName)
				.orElse("stack"));
		Path home = projectDir.resolve("e2e-tests/target/stack-home/" + caller);
		LocalStack stack = new LocalStack(projectDir, home);
		if (traced) {
			stack.traces = OtlpTraceReceiver.start(0, stack.spans::addAll);
			stack.environment.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", stack.traces.endpoint());
			stack.environment.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms");
		}
		Output up;
		try {
			up = stack.run(Duration.ofMinutes(15), "up");
		}
		catch (IllegalStateException tooSlow) {
			stack.close(); // whatever did start must not outlive the test
			throw tooSlow;
		}
		if (up.exitCode() != 0) {
			String logs = stack.run(Duration.ofSeconds(30), "status").text();
			stack.close();
			throw new IllegalStateException("bookmarks up failed (" + up.exitCode() + "):\n" + up.text() + "\n" + logs);
		}
		return stack;
	}

	private OtlpTraceReceiver traces;

	private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

	/** Every span the services exported so far (a stack started with {@link #startTraced()}). */
	List<ReceivedSpan> spans() {
		return List.copyOf(spans);
	}

	/** The port on 127.0.0.2 from which the stack may download pictures. */
	int picturePort() {
		return picturePort;
	}

	String origin() {
		return "http://localhost:" + gatewayPort;
	}

	/** The mail sink's HTTP API, where the mail the services sent can be read. */
	String mailApiUrl() {
		return "http://127.0.0.1:" + mailUiPort;
	}

	/**
	 * A second gateway instance beside the stack's, as a replica would run: same Redis, same
	 * services, same public origin and data directory (for the client secret), its own port.
	 */
	ExtraGateway startAnotherGateway(Map<String, String> settings) throws IOException, InterruptedException {
		FreePorts ports = FreePorts.take(2);
		int port = ports.next();
		int managementPort = ports.next();
		Path jar = home.resolve("run/jars/gateway-0.1.0-SNAPSHOT.jar");
		Path log = logFile("gateway-extra");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
		Map<String, String> env = builder.environment();
		env.put("SERVER_PORT", String.valueOf(port));
		env.put("BOOKMARKS_GATEWAY_MANAGEMENT_PORT", String.valueOf(managementPort));
		env.put("BOOKMARKS_GATEWAY_HTTPS_ENABLED", "false");
		env.put("BOOKMARKS_PUBLIC_ORIGIN", origin());
		env.put("BOOKMARKS_DATA_DIR", home.resolve("data").toString());
		env.put("BOOKMARKS_REDIS_URL", "redis://127.0.0.1:" + environment.get("BOOKMARKS_REDIS_PORT"));
		for (String service : List.of("AUTH", "BOOKMARK", "GRAPH", "ACTIVITY", "RANKING")) {
			env.put("BOOKMARKS_" + service + "_URI", "http://127.0.0.1:" + environment.get("BOOKMARKS_" + service + "_PORT"));
		}
		env.putAll(settings);
		Process process = builder.start();
		ExtraGateway gateway = new ExtraGateway(process, port);
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The extra gateway exited:\n" + Files.readString(log));
			}
			try {
				int status = http.send(java.net.http.HttpRequest
					.newBuilder(java.net.URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(2))
					.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status == 200) {
					return gateway;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(500);
		}
		gateway.close();
		throw new IllegalStateException("The extra gateway was not ready in 120 s:\n" + Files.readString(log));
	}

	record ExtraGateway(Process process, int port) implements AutoCloseable {

		String origin() {
			return "http://127.0.0.1:" + port;
		}

		@Override
		public void close() throws InterruptedException {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}

	}

	/**
	 * What each component's {@code /actuator/prometheus} answers right now, by component: the
	 * gateway's on its management port, auth-service's under its context path.
	 */
	Map<String, String> prometheusScrapes() throws IOException, InterruptedException {
		Map<String, String> endpoints = new java.util.LinkedHashMap<>();
		endpoints.put("gateway", "http://127.0.0.1:" + environment.get("BOOKMARKS_GATEWAY_MANAGEMENT_PORT") + "/actuator/prometheus");
		endpoints.put("auth-service", "http://127.0.0.1:" + environment.get("BOOKMARKS_AUTH_PORT") + "/auth/actuator/prometheus");
		endpoints.put("bookmark-service", "http://127.0.0.1:" + environment.get("BOOKMARKS_BOOKMARK_PORT") + "/actuator/prometheus");
		endpoints.put("social-graph-service", "http://127.0.0.1:" + environment.get("BOOKMARKS_GRAPH_PORT") + "/actuator/prometheus");
		endpoints.put("activity-service", "http://127.0.0.1:" + environment.get("BOOKMARKS_ACTIVITY_PORT") + "/actuator/prometheus");
		endpoints.put("ranking-service", "http://127.0.0.1:" + environment.get("BOOKMARKS_RANKING_PORT") + "/actuator/prometheus");
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		Map<String, String> scrapes = new java.util.LinkedHashMap<>();
		for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
			java.net.http.HttpResponse<String> scrape = http.send(
					java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint.getValue())).timeout(Duration.ofSeconds(10)).build(),
					java.net.http.HttpResponse.BodyHandlers.ofString());
			if (scrape.statusCode() != 200) {
				throw new IllegalStateException(endpoint.getValue() + " answered " + scrape.statusCode() + ": " + scrape.body());
			}
			scrapes.put(endpoint.getKey(), scrape.body());
		}
		return scrapes;
	}

	/** The log of a component (or of the extra gateway, "gateway-extra"). */
	Path logFile(String component) {
		return home.resolve("logs").resolve(component + ".log");
	}

	/** The stack's Kafka broker, for tests that must stand in for a producer the stack lacks. */
	String kafkaBootstrap() {
		return "127.0.0.1:" + environment.get("BOOKMARKS_KAFKA_PORT");
	}

	/** The state folder (BOOKMARKS_HOME): data/, logs/, run/. */
	Path home() {
		return home;
	}

	/** The pid file the script keeps for a component. */
	Path pidFile(String component) {
		return home.resolve("run").resolve(component + ".pid");
	}

	Output run(Duration timeout, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(projectDir.resolve("deploy/local/bookmarks").toString());
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile("bookmarks-", ".out");
		ProcessBuilder builder = new ProcessBuilder(command).directory(projectDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("bookmarks " + String.join(" ", arguments) + " took over " + timeout);
		}
		String text = Files.readString(output);
		Files.deleteIfExists(output);
		return new Output(process.exitValue(), text);
	}

	@Override
	public void close() throws IOException, InterruptedException {
		Output down = run(Duration.ofMinutes(2), "down");
		if (traces != null) {
			traces.close();
		}
		if (down.exitCode() != 0) {
			throw new IllegalStateException("bookmarks down failed:\n" + down.text());
		}
	}

	record Output(int exitCode, String text) {
	}

}
