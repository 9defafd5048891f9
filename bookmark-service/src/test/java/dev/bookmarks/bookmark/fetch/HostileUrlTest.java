package dev.bookmarks.bookmark.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;

import com.sun.net.httpserver.HttpServer;
import dev.bookmarks.bookmark.picture.ImageProcessor;
import dev.bookmarks.bookmark.picture.InvalidImageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fetcher against hostile input, over real HTTP. Images are served from 127.0.0.2 (the one
 * allowed network); a canary server listens on 127.0.0.1 at the same port and must never be
 * reached: every refusal where the address is knowable happens before a connection.
 */
class HostileUrlTest {

	private static final long MAX_BYTES = 1024 * 1024;

	private static HttpServer images;

	private static HttpServer canary;

	private static final AtomicInteger canaryHits = new AtomicInteger();

	private static int port;

	private static Thread rawServer;

	private static ServerSocket raw;

	private static FakeDnsServer dns;

	private DnsHostResolver resolver;

	private ImageFetcher fetcher;

	private final ImageProcessor processor = new ImageProcessor(50_000_000L);

	@BeforeAll
	static void servers() throws IOException {
		images = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
		port = images.getAddress().getPort();
		canary = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		canary.createContext("/", exchange -> {
			canaryHits.incrementAndGet();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		serve("/photo.png", "image/png", png(64, 48, false));
		serve("/transparent.png", "image/png", png(40, 40, true));
		serve("/photo.jpg", "image/jpeg", jpegWithComment(320, 200, "secret GPS 51.5N"));
		serve("/anim.gif", "image/gif", encode(image(30, 20, false), "gif"));
		serve("/tiny.webp", "image/webp", java.util.Base64.getDecoder()
			.decode("UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA="));
		serve("/huge-claim.png", "image/png", pngClaiming(100_000, 100_000));
		serve("/drawing.svg", "image/svg+xml",
				"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><rect/></svg>".getBytes());
		serve("/page.png", "image/png", "<html><body>not an image</body></html>".getBytes());
		serve("/notes.txt", "text/plain", "just text".getBytes());
		serve("/big.png", "image/png", new byte[(int) MAX_BYTES + 10]);
		redirect("/to-loopback", "http://127.0.0.1:" + port + "/photo.png");
		redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/");
		redirect("/to-file", "file:///etc/passwd");
		redirect("/loop", "/loop");
		redirect("/hop1", "/hop2");
		redirect("/hop2", "/photo.png");
		images.createContext("/missing", exchange -> {
			exchange.sendResponseHeaders(404, -1);
			exchange.close();
		});
		images.start();
		canary.start();
		raw = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"));
		rawServer = new Thread(HostileUrlTest::rawLoop, "hostile-raw-server");
		rawServer.setDaemon(true);
		rawServer.start();
	}

	@AfterAll
	static void stop() throws IOException {
		images.stop(0);
		canary.stop(0);
		raw.close();
	}

	@BeforeAll
	static void nameServer() {
		dns = new FakeDnsServer(Map.of("images.example", List.of("127.0.0.2"), "intranet.example", List.of("10.1.2.3"),
				"mixed.example", List.of("127.0.0.2", "10.0.0.7"), "rebind.example", List.of("127.0.0.2", "127.0.0.1"),
				"mixed6.example", List.of("127.0.0.2", "fd00::7"), "metadata.example", List.of("169.254.169.254")));
	}

	@AfterAll
	static void stopNameServer() {
		dns.close();
	}

	@BeforeEach
	void fetcher() {
		canaryHits.set(0);
		FetchProperties properties = new FetchProperties(List.of("127.0.0.2/32"),
				Set.of(80, 443, port, raw.getLocalPort()), MAX_BYTES, 50_000_000L, Duration.ofSeconds(3), 3,
				List.of(dns.address()), Duration.ofMillis(500));
		resolver = new DnsHostResolver(properties.nameServerAddresses(), properties.dnsQueryTimeout());
		fetcher = new ImageFetcher(HttpClient.create().followRedirect(false), new PublicAddressPolicy(
				properties.allowedCidrs()), properties, resolver);
	}

	@AfterEach
	void closeResolver() {
		resolver.close();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "http://2130706433:%d/photo.png", "http://0177.0.0.1:%d/photo.png",
			"http://0x7f.0.0.1:%d/photo.png", "http://0x7f000001:%d/photo.png", "http://127.1:%d/photo.png",
			"http://[::ffff:127.0.0.1]:%d/photo.png", "http://[::ffff:7f00:1]:%d/photo.png", "http://[::1]:%d/photo.png",
			"http://0.0.0.0:%d/photo.png", "http://[::]:%d/photo.png", "http://localhost:%d/photo.png",
			"http://LocalHost.:%d/photo.png", "http://127.0.0.1:%d/photo.png", "http://[64:ff9b::7f00:1]:%d/photo.png",
			"http://[::127.0.0.1]:%d/photo.png", "http://[2002:7f00:1::]:%d/photo.png",
			"http://intranet.example:%d/photo.png", "http://mixed.example:%d/photo.png",
			"http://rebind.example:%d/photo.png", "http://mixed6.example:%d/photo.png",
			"http://169.254.169.254/latest/meta-data/",
			"http://10.0.0.1/x.png", "http://172.16.5.4/x.png", "http://192.168.1.1/x.png", "http://100.64.0.1/x.png",
			"http://[fd00::1]/x.png", "http://[fe80::1]/x.png", "http://224.0.0.1/x.png", "http://255.255.255.255/x.png",
			"http://198.18.0.1/x.png", "file:///etc/passwd", "ftp://127.0.0.2/photo.png", "gopher://127.0.0.2:70/_x",
			"javascript:alert(1)", "http://user:secret@127.0.0.2:%d/photo.png", "http://@127.0.0.2:%d/photo.png",
			"http://127.0.0.2:6379/", "http:///photo.png", "not a url", "http://999.1.1.1/x.png" })
	void hostileUrlIsRefusedBeforeAnyConnection(String template) {
		String url = template.formatted(port);

		assertThatThrownBy(() -> fetcher.fetch(url).block()).isInstanceOf(FetchRefusedException.class);
		assertThat(canaryHits).hasValue(0);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "http://intranet.example:%d/photo.png", "http://metadata.example/latest/meta-data/",
			"http://rebind.example:%d/photo.png", "http://mixed6.example:%d/photo.png", "http://10.1.2.3/x.png",
			"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:%d/photo.png", "http://[::ffff:10.1.2.3]/x.png",
			"http://0x7f000001:%d/photo.png", "http://localhost:%d/photo.png" })
	void everyRefusedAddressGetsTheSameAnswerNamingNoAddress(String template) {
		assertThatThrownBy(() -> fetcher.fetch(template.formatted(port)).block())
			.isInstanceOf(FetchRefusedException.class)
			.hasMessage(FetchRefusedException.NOT_PUBLIC);
	}

	@Test
	void aNameServerThatNeverAnswersEndsTheFetchWithATimeoutNotAThreadHeld() {
		long started = System.nanoTime();

		assertThatThrownBy(() -> fetcher.fetch("http://silent.example:" + port + "/photo.png").block())
			.isInstanceOf(FetchRefusedException.class)
			.hasMessage("did not answer within 3 s");
		assertThat(dns.asked()).contains("silent.example");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/to-loopback", "/to-metadata", "/to-file", "/loop" })
	void redirectIsCheckedLikeTheFirstUrl(String path) {
		assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.2:" + port + path).block())
			.isInstanceOf(FetchRefusedException.class)
			.hasMessageContaining("redirect");
		assertThat(canaryHits).hasValue(0);
	}

	@Test
	void redirectsWithinTheLimitAreFollowed() {
		ImageFetcher.Fetched fetched = fetcher.fetch("http://images.example:" + port + "/hop1").block();

		assertThat(fetched.url().getPath()).isEqualTo("/photo.png");
		assertThat(processor.process(fetched.bytes()).original().width()).isEqualTo(64);
	}

	@Test
	void bodyOverTheLimitIsCutOffWhileStreaming() {
		assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.2:" + port + "/big.png").block())
			.hasMessageContaining("larger than");
	}

	@Test
	void lyingContentLengthDoesNotLetMoreBytesThrough() {
		// The server declares 100 bytes and sends 2 MiB: only the declared bytes are read, and they
		// are not an image.
		byte[] bytes = fetcher.fetch("http://127.0.0.2:" + raw.getLocalPort() + "/lying").block().bytes();

		assertThat(bytes).hasSize(100);
		assertThatThrownBy(() -> processor.process(bytes)).isInstanceOf(InvalidImageException.class);
	}

	@Test
	void bodyThatNeverEndsTimesOut() {
		long started = System.nanoTime();
		assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.2:" + raw.getLocalPort() + "/forever").block())
			.isInstanceOf(FetchRefusedException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
	}

	@Test
	void errorStatusIsRefused() {
		assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.2:" + port + "/missing").block())
			.hasMessageContaining("404");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/huge-claim.png", "/drawing.svg", "/page.png", "/notes.txt" })
	void downloadThatIsNotAnAcceptableImageIsRefused(String path) {
		byte[] bytes = fetcher.fetch("http://127.0.0.2:" + port + path).block().bytes();

		assertThatThrownBy(() -> processor.process(bytes)).isInstanceOf(InvalidImageException.class);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/photo.png", "/transparent.png", "/photo.jpg", "/anim.gif", "/tiny.webp" })
	void acceptedImagesAreReencodedWithThumbnails(String path) {
		byte[] bytes = fetcher.fetch("http://images.example:" + port + path).block().bytes();

		ImageProcessor.Processed processed = processor.process(bytes);

		assertThat(processed.square().width()).isEqualTo(processed.square().height());
		assertThat(processed.detail().width()).isLessThanOrEqualTo(ImageProcessor.DETAIL_WIDTH);
		assertThat(processed.original().sha256()).hasSize(64);
		assertThat(processed.original().mediaType()).isIn("image/png", "image/jpeg");
	}

	@Test
	void metadataDoesNotSurviveReencoding() {
		byte[] bytes = fetcher.fetch("http://127.0.0.2:" + port + "/photo.jpg").block().bytes();
		assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("secret GPS");

		ImageProcessor.Processed processed = processor.process(bytes);

		assertThat(new String(processed.original().bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("secret GPS");
		assertThat(processed.original().width()).isEqualTo(320);
		assertThat(processed.square().width()).isEqualTo(200);
	}

	private static void serve(String path, String type, byte[] body) {
		images.createContext(path, exchange -> {
			exchange.getResponseHeaders().set("Content-Type", type);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
	}

	private static void redirect(String path, String location) {
		images.createContext(path, exchange -> {
			exchange.getResponseHeaders().set("Location", location);
			exchange.sendResponseHeaders(302, -1);
			exchange.close();
		});
	}

	/** A server that lies: a small Content-Length with a large body, or a body that never ends. */
	private static void rawLoop() {
		while (!raw.isClosed()) {
			try (Socket socket = raw.accept()) {
				byte[] request = new byte[4096];
				int read = socket.getInputStream().read(request);
				String line = read > 0 ? new String(request, 0, read, StandardCharsets.US_ASCII) : "";
				OutputStream out = socket.getOutputStream();
				if (line.startsWith("GET /lying")) {
					out.write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100\r\n\r\n".getBytes());
					out.write(new byte[(int) MAX_BYTES * 2]);
				}
				else {
					out.write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes());
					for (int i = 0; i < 100 && !socket.isClosed(); i++) {
						out.write("1\r\nx\r\n".getBytes());
						out.flush();
						Thread.sleep(200);
					}
				}
			}
			catch (IOException | InterruptedException ex) {
				// the client hung up, as it should
			}
		}
	}

	private static BufferedImage image(int width, int height, boolean alpha) {
		BufferedImage image = new BufferedImage(width, height,
				alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < width; x++) {
			for (int y = 0; y < height; y++) {
				image.setRGB(x, y, alpha ? (x * 4 << 24) | 0x3366cc : (x * 3 << 16) | (y * 5 << 8) | 0x40);
			}
		}
		return image;
	}

	private static byte[] encode(BufferedImage image, String format) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ImageIO.write(image, format, out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] png(int width, int height, boolean alpha) {
		return encode(image(width, height, alpha), "png");
	}

	/** A JPEG with a comment segment (COM) right after SOI, as cameras and editors add. */
	private static byte[] jpegWithComment(int width, int height, String comment) {
		byte[] jpeg = encode(image(width, height, false), "jpg");
		byte[] text = comment.getBytes(StandardCharsets.ISO_8859_1);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(jpeg, 0, 2);
		out.write(0xFF);
		out.write(0xFE);
		out.write((text.length + 2) >> 8);
		out.write((text.length + 2) & 0xFF);
		out.write(text, 0, text.length);
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	/** A valid 1x1 PNG whose header claims another size (with a correct CRC). */
	private static byte[] pngClaiming(int width, int height) {
		byte[] png = png(1, 1, false);
		// IHDR data starts at 16: width (4), height (4); its CRC covers type + data (17 bytes) at 12..29.
		writeInt(png, 16, width);
		writeInt(png, 20, height);
		CRC32 crc = new CRC32();
		crc.update(png, 12, 17);
		writeInt(png, 29, (int) crc.getValue());
		return png;
	}

	private static void writeInt(byte[] bytes, int offset, int value) {
		bytes[offset] = (byte) (value >>> 24);
		bytes[offset + 1] = (byte) (value >>> 16);
		bytes[offset + 2] = (byte) (value >>> 8);
		bytes[offset + 3] = (byte) value;
	}

}
