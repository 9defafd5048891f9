package dev.bookmarks.e2e;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app in a real browser against the whole local stack: {@code browser/journey.mjs} drives
 * Debian's Chromium with playwright-core (register, log in, the bookmarklet on a third-party page
 * with a strict Content-Security-Policy, save, grid, like, follow, the live feed, rankings, log
 * out) and photographs every page into {@code target/screenshots}. This test starts the stack and
 * the third-party site, installs the script's one npm dependency when it is missing, and fails
 * when the script does.
 */
class BrowserJourneyIT {

	private static final Path BROWSER_DIR = Path.of(System.getProperty("bookmarks.project.dir", ".."), "e2e-tests", "browser")
		.toAbsolutePath()
		.normalize();

	private static final String CHROMIUM = System.getenv().getOrDefault("BOOKMARKS_CHROMIUM", "/usr/bin/chromium");

	private static LocalStack stack;

	private static HttpServer site;

	@BeforeAll
	static void startTheStackAndTheThirdPartySite() throws Exception {
		assertThat(Path.of(CHROMIUM)).as("Chromium for the browser tests: apt-get install chromium (or set BOOKMARKS_CHROMIUM)")
			.isExecutable();
		stack = LocalStack.start();
		site = thirdPartySite(stack.picturePort());
		site.start();
	}

	@AfterAll
	static void stopThem() throws Exception {
		if (site != null) {
			site.stop(0);
		}
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void aPersonSavesAPictureWithTheBookmarkletAndAFollowerSeesItLive() throws Exception {
		if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
			assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 5)).as("npm ci").isZero();
		}
		Path screenshots = BROWSER_DIR.resolveSibling("target").resolve("screenshots");
		int exit = run(List.of("node", "journey.mjs"),
				Map.of("BOOKMARKS_ORIGIN", stack.origin(), "BOOKMARKS_SITE", "http://127.0.0.2:" + stack.picturePort(),
						"BOOKMARKS_SCREENSHOTS", screenshots.toString(), "BOOKMARKS_CHROMIUM", CHROMIUM),
				10);
		assertThat(exit).as("browser journey (its steps are in the test output; pictures in %s)", screenshots).isZero();
	}

	private static int run(List<String> command, Map<String, String> environment, int minutes)
			throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).directory(BROWSER_DIR.toFile()).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		// Line by line through System.out: the forked test JVM's own stream belongs to Surefire.
		Thread echo = new Thread(() -> {
			try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				lines.lines().forEach(System.out::println);
			}
			catch (IOException ex) {
				System.out.println("(output of " + command + " lost: " + ex + ")");
			}
		});
		echo.setDaemon(true);
		echo.start();
		if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " took over " + minutes + " minutes");
		}
		echo.join(TimeUnit.SECONDS.toMillis(10));
		return process.exitValue();
	}

	/**
	 * A page on another origin (127.0.0.2, which the stack may download from) whose policy allows
	 * scripts, styles and pictures from itself only. Its inline script must not run; its pictures:
	 * one shown small whose srcset offers a large version, an og:image, and an icon too small to save.
	 */
	static HttpServer thirdPartySite(int port) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.2", port), 0);
		byte[] page = """
				<!DOCTYPE html>
				<html lang="en"><head><meta charset="utf-8"><title>Harbour at dawn</title>
				<meta property="og:image" content="/pictures/card.png">
				</head><body>
				<h1>Harbour at dawn</h1>
				<p><img src="/pictures/icon.png" width="40" height="40" alt="">A travel diary.</p>
				<img src="/pictures/harbour-small.png" srcset="/pictures/harbour-small.png 480w, /pictures/harbour-large.png 1200w"
				     sizes="480px" width="480" height="320" alt="Boats in the harbour">
				<script>document.body.dataset.inlineScriptRan = 'yes';</script>
				</body></html>
				""".getBytes(StandardCharsets.UTF_8);
		server.createContext("/article.html", exchange -> {
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self'");
			exchange.sendResponseHeaders(200, page.length);
			exchange.getResponseBody().write(page);
			exchange.close();
		});
		Map<String, byte[]> pictures = Map.of("/pictures/harbour-small.png", png(480, 320, Color.ORANGE),
				"/pictures/harbour-large.png", png(1200, 800, Color.ORANGE), "/pictures/card.png",
				png(600, 315, Color.PINK), "/pictures/icon.png", png(40, 40, Color.RED));
		server.createContext("/pictures/", exchange -> {
			byte[] picture = pictures.get(exchange.getRequestURI().getPath());
			if (picture == null) {
				exchange.sendResponseHeaders(404, -1);
			}
			else {
				exchange.getResponseHeaders().set("Content-Type", "image/png");
				exchange.sendResponseHeaders(200, picture.length);
				exchange.getResponseBody().write(picture);
			}
			exchange.close();
		});
		return server;
	}

	private static byte[] png(int width, int height, Color sky) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setPaint(new GradientPaint(0, 0, new Color(30, 60, 110), 0, height * 0.6f, sky));
		g.fillRect(0, 0, width, height);
		g.setColor(new Color(20, 70, 90));
		g.fillRect(0, (int) (height * 0.6), width, height);
		g.setColor(new Color(250, 240, 220));
		for (int boat = 0; boat < 5; boat++) {
			int x = width * (boat + 1) / 6;
			g.fillPolygon(new int[] { x - width / 20, x + width / 20, x + width / 30, x - width / 30 },
					new int[] { (int) (height * 0.62), (int) (height * 0.62), (int) (height * 0.68), (int) (height * 0.68) }, 4);
		}
		g.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

}
