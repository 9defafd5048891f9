package dev.bookmarks.bookmark.blob;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both blob stores keep the same promises: the S3 one against a real S3-compatible server (Adobe's
 * S3Mock, started from its jar as a separate JVM), the file one on a temporary folder.
 */
class BlobStoreContractTest {

	private static Process s3mock;

	private static S3AsyncClient s3;

	private static Path folder;

	@BeforeAll
	static void servers() throws Exception {
		folder = Files.createTempDirectory("blob-contract");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path root = Files.createTempDirectory("s3mock-root");
		s3mock = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", System.getProperty("s3mock.jar"),
				"--com.adobe.testing.s3mock.http-port=" + port, "--server.port=0", "--server.address=127.0.0.1",
				"--com.adobe.testing.s3mock.store.initial-buckets=pictures",
				"--com.adobe.testing.s3mock.store.root=" + root)
			.redirectErrorStream(true)
			.redirectOutput(folder.resolve("s3mock.log").toFile())
			.start();
		String endpoint = "http://127.0.0.1:" + port;
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (true) {
			try {
				if (http.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					break;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			if (System.nanoTime() > deadline || !s3mock.isAlive()) {
				throw new IllegalStateException("S3Mock did not start: " + Files.readString(folder.resolve("s3mock.log")));
			}
			Thread.sleep(200);
		}
		s3 = S3AsyncClient.builder()
			.endpointOverride(URI.create(endpoint))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.build();
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (s3 != null) {
			s3.close();
		}
		if (s3mock != null) {
			s3mock.destroy();
			s3mock.waitFor(10, TimeUnit.SECONDS);
		}
	}

	static Stream<BlobStore> stores() {
		return Stream.of(new FileSystemBlobStore(folder), new S3BlobStore(s3, "pictures", "images/"));
	}

	@ParameterizedTest
	@MethodSource("stores")
	void storedBlobReadsBackUntilDeleted(BlobStore store) {
		byte[] bytes = randomBytes(50_000);
		String key = key("jpg");

		store.put(key, bytes, "image/jpeg").block(Duration.ofSeconds(10));
		BlobStore.Blob blob = store.get(key).block(Duration.ofSeconds(10));

		assertThat(blob.bytes()).isEqualTo(bytes);
		assertThat(blob.mediaType()).isEqualTo("image/jpeg");
		store.delete(key).block(Duration.ofSeconds(10));
		assertThat(store.get(key).blockOptional(Duration.ofSeconds(10))).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("stores")
	void missingBlobIsEmptyAndDeletingItSucceeds(BlobStore store) {
		String key = key("png");

		assertThat(store.get(key).blockOptional(Duration.ofSeconds(10))).isEmpty();
		store.delete(key).block(Duration.ofSeconds(10));
	}

	@ParameterizedTest
	@MethodSource("stores")
	void puttingTheSameKeyAgainIsHarmless(BlobStore store) {
		byte[] bytes = randomBytes(1000);
		String key = key("png");

		store.put(key, bytes, "image/png").block(Duration.ofSeconds(10));
		store.put(key, bytes, "image/png").block(Duration.ofSeconds(10));

		assertThat(store.get(key).block(Duration.ofSeconds(10)).bytes()).isEqualTo(bytes);
	}

	@ParameterizedTest
	@MethodSource("stores")
	void keysThatAreNotContentHashesAreRefused(BlobStore store) {
		for (String bad : List.of("../../etc/passwd", "abc.jpg", key("svg"), key("jpg") + "/x")) {
			assertThatThrownBy(() -> store.get(bad).block()).isInstanceOf(IllegalArgumentException.class);
		}
	}

	private static String key(String extension) {
		return HexFormat.of().formatHex(randomBytes(32)) + "." + extension;
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

}
