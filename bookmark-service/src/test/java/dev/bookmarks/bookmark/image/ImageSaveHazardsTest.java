package dev.bookmarks.bookmark.image;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.bookmark.blob.BlobReaper;
import dev.bookmarks.bookmark.blob.BlobStore;
import dev.bookmarks.bookmark.fetch.FakeDnsServer;
import dev.bookmarks.bookmark.fetch.FetchRefusedException;
import dev.bookmarks.platform.test.TestTokenIssuer;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Saving images when things go wrong around it, through the real service: a host whose DNS answer
 * is internal, a name server that never answers, the blob reaper running while a save reuses a
 * picture, a title thousands of images already have. Names are resolved by a real name server on
 * a local UDP port; pictures are served from 127.0.0.2, the one network the test allows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ImageSaveHazardsTest {

	static {
		BlockHound.install();
	}

	private static final TestTokenIssuer tokens = TestTokenIssuer.shared();

	private static final HttpServer pictures = pictureServer();

	private static final FakeDnsServer dns = new FakeDnsServer(Map.of("pictures.test", List.of("127.0.0.2"),
			"intranet.test", List.of("10.96.0.1"), "metadata.test", List.of("169.254.169.254"), "loopback.test",
			List.of("127.0.0.1"), "mixed.test", List.of("127.0.0.2", "10.96.0.7"), "dual.test",
			List.of("127.0.0.2", "fd12:3456::1")));

	/** A DNS query goes unanswered this long before the resolver gives up (10 s is the whole fetch's). */
	private static final Duration DNS_QUERY_TIMEOUT = Duration.ofSeconds(8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		ImageTests.infrastructure(registry, pictures);
		registry.add("bookmarks.fetch.name-servers", dns::address);
		registry.add("bookmarks.fetch.dns-query-timeout", () -> DNS_QUERY_TIMEOUT.toMillis() + "ms");
		registry.add("bookmarks.blobs.directory", () -> ImageTests.temporaryDirectory().toString());
		registry.add("bookmarks.public-origin", () -> "http://bookmarks.test");
	}

	@AfterAll
	static void stopServers() {
		pictures.stop(0);
		dns.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	@Autowired
	BlobReaper reaper;

	@Autowired
	PausableBlobStore blobs;

	WebTestClient client;

	final UUID ada = UUID.randomUUID();

	final UUID bob = UUID.randomUUID();

	@BeforeEach
	void setUp() {
		client = ImageTests.client(port, Duration.ofSeconds(30));
		// The tests run the reaper themselves, at the moments that matter.
		reaper.stop();
	}

	// 1. A refusal never tells what a name resolved to.

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "http://intranet.test/x.png", "http://metadata.test/latest/meta-data/",
			"http://loopback.test:%d/x.png", "http://mixed.test:%d/x.png", "http://dual.test:%d/x.png",
			"http://10.96.0.1/x.png", "http://[::ffff:10.96.0.1]/x.png", "http://169.254.169.254/latest/meta-data/",
			"http://127.0.0.1:%d/x.png", "http://localhost:%d/x.png" })
	void everyRefusedAddressGetsOneAnswerThatNamesNoAddress(String template) {
		String body = refusal(template.formatted(pictures.getAddress().getPort()));

		assertThat(body).contains("\"message\":\"" + FetchRefusedException.NOT_PUBLIC + "\"");
		assertThat(body).doesNotContain("10.96", "169.254", "127.0.0.1", "fd12", "private", "loopback", "link-local");
	}

	@Test
	void aRedirectToAnInternalNameIsRefusedWithTheSameAnswer() {
		String body = refusal(picture("/to-intranet"));

		assertThat(body).contains("\"message\":\"redirects to a URL that " + FetchRefusedException.NOT_PUBLIC + "\"")
			.doesNotContain("10.96");
	}

	@Test
	void theRefusalDetailGoesToTheLogOnly(CapturedOutput output) {
		refusal("http://intranet.test/x.png");

		assertThat(output.getAll()).contains("intranet.test", "10.96.0.1", "private");
	}

	@Test
	void aNameThatResolvesToTheAllowedNetworkIsFetched() {
		Map<?, ?> image = save(ada, "ada", "http://pictures.test:" + pictures.getAddress().getPort() + "/by-name.png",
				"By name");

		assertThat(image.get("width")).isEqualTo(64);
		assertThat(dns.asked()).contains("pictures.test");
	}

	// 2. A name server that never answers fails the save in time and holds no shared thread.

	@Test
	void aSilentNameServerFailsTheSaveInTimeWhileOtherRequestsAreServed() throws Exception {
		Map<?, ?> stored = save(ada, "ada", picture("/while-silent.png"), "While silent");
		String thumbnail = ((String) stored.get("thumbnailUrl")).replace("http://bookmarks.test", "");
		// More saves than the shared bounded elastic pool has threads: had each lookup held one, blob
		// reads (and view events) would queue behind them.
		int saves = Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE + 4;
		AtomicInteger finished = new AtomicInteger();
		WebClient web = WebClient.create("http://localhost:" + port);
		String token = tokens.token(bob, "bob");
		CompletableFuture<List<Outcome>> outcomes = Flux.range(0, saves).flatMap(i -> {
			long started = System.nanoTime();
			return web.post()
				.uri("/api/images")
				.headers(h -> h.setBearerAuth(token))
				.bodyValue(Map.of("url", "http://silent-" + i + ".test:" + pictures.getAddress().getPort() + "/x.png",
						"title", "Silent " + i))
				.exchangeToMono(response -> response.bodyToMono(String.class)
					.map(body -> new Outcome(response.statusCode().value(), body,
							Duration.ofNanos(System.nanoTime() - started))))
				.doOnNext(outcome -> finished.incrementAndGet());
		}, saves).collectList().toFuture();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> java.util.stream.IntStream.range(0, saves).allMatch(i -> dns.asked().contains("silent-" + i + ".test")));

		client.get().uri(thumbnail).exchange().expectStatus().isOk();
		client.get()
			.uri("/api/images/" + stored.get("id"))
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk();

		// Served while every save was still waiting for its name server.
		assertThat(finished).hasValue(0);
		List<Outcome> results = outcomes.get(60, TimeUnit.SECONDS);
		assertThat(results).hasSize(saves).allSatisfy(outcome -> {
			assertThat(outcome.status()).isEqualTo(400);
			assertThat(outcome.body()).contains("did not answer within 10 s");
			assertThat(outcome.took()).isLessThan(Duration.ofSeconds(13));
		});
	}

	record Outcome(int status, String body, Duration took) {
	}

	// 3. Saving and reaping one picture are exclusive.

	@Test
	void theReaperLeavesAPictureThatASaveIsStoringAgain() throws Exception {
		// Wider than the detail picture, so that its three blobs differ.
		String url = picture("/wide/reused-while-reaping.png");
		Map<?, ?> first = save(ada, "ada", url, "First");
		delete(ada, first);
		String original = blobKey(first, "imageUrl");
		PausableBlobStore.Pause pause = blobs.pauseAfterPut(blobKey(first, "detailUrl"));

		// The second save stores the same picture (the files are still there, so nothing is
		// written; the detail picture is the last) and stops before its row is recorded; the
		// reaper runs right then.
		CompletableFuture<Map<?, ?>> second = saveLater(bob, "bob", url, "Second");
		assertThat(pause.reached().await(30, TimeUnit.SECONDS)).isTrue();
		reaper.reapOnce().block(Duration.ofSeconds(30));
		pause.release().complete(null);
		Map<?, ?> saved = second.get(30, TimeUnit.SECONDS);
		reaper.reapOnce().block(Duration.ofSeconds(30));

		assertThat(blobKey(saved, "imageUrl")).isEqualTo(original);
		assertPicturesServed(saved);
		assertThat(pendingDeletions(first)).isZero();
	}

	@Test
	void aSaveThatMeetsTheReaperDeletingItsPictureStoresItAfresh() throws Exception {
		String url = picture("/wide/reaped-while-saving.png");
		Map<?, ?> first = save(ada, "ada", url, "First");
		delete(ada, first);
		PausableBlobStore.Pause pause = blobs.pauseBeforeDelete(blobKey(first, "imageUrl"));

		// The reaper has decided the picture is unused and is about to delete it when the same
		// picture is saved again.
		CompletableFuture<Long> reaping = reaper.reapOnce().toFuture();
		assertThat(pause.reached().await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Map<?, ?>> second = saveLater(bob, "bob", url, "Second");
		await().atMost(Duration.ofSeconds(30)).until(() -> second.isDone() || advisoryLockWaiters() > 0);
		pause.release().complete(null);
		reaping.get(30, TimeUnit.SECONDS);
		Map<?, ?> saved = second.get(30, TimeUnit.SECONDS);

		assertPicturesServed(saved);
	}

	// 4. Choosing a slug costs the same however many images share the title.

	@Test
	void imagesWithTheSameTitleAllGetDistinctSlugs() {
		List<Map<?, ?>> saved = Flux.range(0, 6)
			.flatMap(i -> Mono.fromFuture(saveLater(UUID.randomUUID(), "fan", picture("/same-title-" + i + ".png"),
					"Same title")), 6)
			.collectList()
			.block(Duration.ofSeconds(60));

		Set<Object> slugs = new LinkedHashSet<>(saved.stream().map(image -> image.get("slug")).toList());
		assertThat(slugs).hasSize(6).contains("same-title");
		assertThat(slugs).allSatisfy(slug -> assertThat((String) slug).startsWith("same-title"));
	}

	@Test
	void theSlugIsChosenWithoutReadingTheSlugsAlreadyTaken() {
		String base = "crowded-" + Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000, 36);
		Counted fresh = counted(() -> save(ada, "ada", picture("/" + base + "-fresh.png"), "Fresh " + base));
		db.sql("""
				INSERT INTO image (id, owner_id, owner_username, slug, title, source_url, normalized_url, content_hash,
				    original_key, square_key, detail_key, width, height, created_at, updated_at)
				SELECT gen_random_uuid(), $1, 'crowd', CASE WHEN n = 1 THEN $2 ELSE $2 || '-' || n END, $2,
				    'http://crowd.example/' || n, 'http://crowd.example/' || n, repeat('a', 64), repeat('a', 64) || '.jpg',
				    repeat('b', 64) || '.jpg', repeat('c', 64) || '.jpg', 1, 1, now(), now()
				FROM generate_series(1, 3000) AS n""").bind(0, UUID.randomUUID()).bind(1, base).then().block();

		Counted crowded = counted(() -> save(bob, "bob", picture("/" + base + ".png"), base));

		assertThat((String) crowded.result().get("slug")).startsWith(base + "-").doesNotMatch(base + "-\\d{1,4}");
		// Rows read do not grow with the 3,000 taken slugs; one more statement tries the plain slug.
		assertThat(crowded.rows()).isEqualTo(fresh.rows());
		assertThat(crowded.statements()).isLessThanOrEqualTo(fresh.statements() + 1);
	}

	private Counted counted(java.util.function.Supplier<Map<?, ?>> save) {
		StatementCounter.statements.set(0);
		StatementCounter.rows.set(0);
		StatementCounter.on = true;
		try {
			Map<?, ?> result = save.get();
			return new Counted(result, StatementCounter.statements.get(), StatementCounter.rows.get());
		}
		finally {
			StatementCounter.on = false;
		}
	}

	record Counted(Map<?, ?> result, long statements, long rows) {
	}

	private void assertPicturesServed(Map<?, ?> image) {
		for (String field : List.of("imageUrl", "thumbnailUrl", "detailUrl")) {
			client.get()
				.uri(((String) image.get(field)).replace("http://bookmarks.test", ""))
				.exchange()
				.expectStatus()
				.isOk();
		}
	}

	private long pendingDeletions(Map<?, ?> image) {
		return db.sql("SELECT count(*) FROM blob_deletion WHERE blob_key IN ($1, $2, $3)")
			.bind(0, blobKey(image, "imageUrl"))
			.bind(1, blobKey(image, "thumbnailUrl"))
			.bind(2, blobKey(image, "detailUrl"))
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	private long advisoryLockWaiters() {
		return db.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	private static String blobKey(Map<?, ?> image, String field) {
		String url = (String) image.get(field);
		return url.substring(url.lastIndexOf('/') + 1);
	}

	private String refusal(String url) {
		return client.post()
			.uri("/api/images")
			.headers(h -> h.setBearerAuth(tokens.token(UUID.randomUUID(), "mallory")))
			.bodyValue(Map.of("url", url, "title", "Nope"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private Map<?, ?> save(UUID owner, String username, String url, String title) {
		return ImageTests.save(client, owner, username, url, title);
	}

	private CompletableFuture<Map<?, ?>> saveLater(UUID owner, String username, String url, String title) {
		return WebClient.create("http://localhost:" + port)
			.post()
			.uri("/api/images")
			.headers(h -> h.setBearerAuth(tokens.token(owner, username)))
			.bodyValue(Map.of("url", url, "title", title))
			.retrieve()
			.bodyToMono(Map.class)
			.<Map<?, ?>>map(image -> image)
			.toFuture();
	}

	private void delete(UUID owner, Map<?, ?> image) {
		client.delete()
			.uri("/api/images/" + image.get("id"))
			.headers(h -> h.setBearerAuth(tokens.token(owner, "owner")))
			.exchange()
			.expectStatus()
			.isNoContent();
	}

	private static String picture(String path) {
		return ImageTests.url(pictures, path);
	}

	private static HttpServer pictureServer() {
		return ImageTests.pictureServer(exchange -> {
			String path = exchange.getRequestURI().getPath();
			if (path.equals("/to-intranet")) {
				ImageTests.redirect(exchange, "http://intranet.test/x.png");
				return;
			}
			// A distinct picture per path, so content-addressed keys differ between tests.
			ImageTests.send(exchange, "image/png",
					path.startsWith("/wide/") ? ImageTests.png(1200, 90, path.hashCode()) : ImageTests.png(64, 48, path.hashCode()));
		});
	}

	@TestConfiguration
	static class Hooks {

		@Bean
		@Primary
		PausableBlobStore pausableBlobStore(@Qualifier("fileSystemBlobStore") BlobStore files) {
			return new PausableBlobStore(files);
		}

		@Bean
		static StatementCounter statementCounter() {
			return new StatementCounter();
		}

	}

	/** The real blob store, with a place to hold a put or a delete of one key until the test says. */
	static final class PausableBlobStore implements BlobStore {

		/** Where one operation waits: {@code reached} when it got there, {@code release} to go on. */
		record Pause(String key, CountDownLatch reached, CompletableFuture<Void> release) {
		}

		private final BlobStore files;

		private volatile Pause afterPut;

		private volatile Pause beforeDelete;

		PausableBlobStore(BlobStore files) {
			this.files = files;
		}

		Pause pauseAfterPut(String key) {
			afterPut = new Pause(key, new CountDownLatch(1), new CompletableFuture<>());
			return afterPut;
		}

		Pause pauseBeforeDelete(String key) {
			beforeDelete = new Pause(key, new CountDownLatch(1), new CompletableFuture<>());
			return beforeDelete;
		}

		@Override
		public Mono<Void> put(String key, byte[] bytes, String mediaType) {
			return files.put(key, bytes, mediaType).then(Mono.defer(() -> hold(afterPut, key)));
		}

		@Override
		public Mono<Blob> get(String key) {
			return files.get(key);
		}

		@Override
		public Mono<Void> delete(String key) {
			return Mono.defer(() -> hold(beforeDelete, key)).then(files.delete(key));
		}

		private static Mono<Void> hold(Pause pause, String key) {
			if (pause == null || !pause.key().equals(key) || pause.reached().getCount() == 0) {
				return Mono.empty();
			}
			pause.reached().countDown();
			return Mono.fromFuture(pause.release());
		}

	}

	/**
	 * Counts the statements on the image table and the rows they return, while switched on: wraps
	 * the connection factory, its connections, statements and results.
	 */
	static final class StatementCounter implements BeanPostProcessor {

		static final AtomicLong statements = new AtomicLong();

		static final AtomicLong rows = new AtomicLong();

		static volatile boolean on;

		private static final Pattern IMAGE_TABLE = Pattern.compile("\\bimage\\b");

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof ConnectionFactory factory && !Proxy.isProxyClass(bean.getClass())) {
				return wrap(factory, (target, method, args) -> {
					Object value = invoke(target, method, args);
					return method.getName().equals("create")
							? Mono.from((Publisher<?>) value).map(connection -> wrap(connection, connectionHandler()))
							: value;
				});
			}
			return bean;
		}

		private static Handler connectionHandler() {
			return (target, method, args) -> {
				Object value = invoke(target, method, args);
				if (method.getName().equals("createStatement") && value instanceof Statement statement) {
					boolean counted = IMAGE_TABLE.matcher((String) args[0]).find();
					return wrap(statement, statementHandler(counted));
				}
				return value;
			};
		}

		private static Handler statementHandler(boolean counted) {
			return new Handler() {
				Object self;

				@Override
				public Object handle(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
					Object value = invoke(target, method, args);
					if (method.getName().equals("execute")) {
						if (counted && on) {
							statements.incrementAndGet();
						}
						return Flux.from((Publisher<?>) value).map(result -> wrap(result, resultHandler(counted)));
					}
					return value == target ? self : value;
				}

				@Override
				public Object bind(Object proxy) {
					self = proxy;
					return proxy;
				}
			};
		}

		private static Handler resultHandler(boolean counted) {
			return (target, method, args) -> {
				Object value = invoke(target, method, args);
				if ((method.getName().equals("map") || method.getName().equals("flatMap")) && value instanceof Publisher<?> items) {
					return Flux.from(items).doOnNext(item -> {
						if (counted && on) {
							rows.incrementAndGet();
						}
					});
				}
				return value instanceof Result other && method.getName().equals("filter") ? wrap(other, resultHandler(counted))
						: value;
			};
		}

		@FunctionalInterface
		interface Handler {

			Object handle(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;

			default Object bind(Object proxy) {
				return proxy;
			}

		}

		private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
			try {
				return method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

		@SuppressWarnings("unchecked")
		private static <T> T wrap(T target, Handler handler) {
			List<Class<?>> interfaces = new ArrayList<>();
			for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
				for (Class<?> candidate : type.getInterfaces()) {
					if (java.lang.reflect.Modifier.isPublic(candidate.getModifiers()) && !interfaces.contains(candidate)) {
						interfaces.add(candidate);
					}
				}
			}
			InvocationHandler invocation = (proxy, method, args) -> switch (method.getName()) {
				case "equals" -> args.length == 1 && proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> handler.handle(target, method, args);
			};
			Object proxy = Proxy.newProxyInstance(ImageSaveHazardsTest.class.getClassLoader(),
					interfaces.toArray(Class<?>[]::new), invocation);
			return (T) handler.bind(proxy);
		}

	}

}
