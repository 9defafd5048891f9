package dev.bookmarks.e2e;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a browser does with the web app, over plain HTTP: keeps cookies, follows redirects one at a
 * time (so tests can see each), and fills in auth-service's login form. It never sees a token:
 * the gateway keeps them in its session.
 */
final class BrowserClient {

	private static final Pattern CSRF = Pattern
		.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

	private final String origin;

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient http;

	/** Every response seen, in order. */
	final List<HttpResponse<String>> seen = new ArrayList<>();

	BrowserClient(String origin) {
		this.origin = origin;
		this.http = HttpClient.newBuilder()
			.cookieHandler(cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET());
	}

	HttpResponse<String> send(String method, String path, String json, Map<String, String> headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(json));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		headers.forEach(request::header);
		return send(request);
	}

	HttpResponse<String> postForm(String path, Map<String, String> fields) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(fields))));
	}

	/**
	 * From a response that sends the browser to log in: follows the redirects to auth-service's
	 * login form, posts it, and follows the redirects back through the gateway's callback. Returns
	 * the gateway's last redirect, the one to the page the person comes back to.
	 */
	HttpResponse<String> logIn(HttpResponse<String> toLogin, String username, String password)
			throws IOException, InterruptedException {
		HttpResponse<String> current = toLogin;
		for (int hops = 0; hops < 6 && current.statusCode() / 100 == 3; hops++) {
			current = get(location(current).toString());
		}
		if (current.statusCode() != 200 || !current.uri().getPath().equals("/auth/login")) {
			throw new IllegalStateException("Expected the login page, got " + current.statusCode() + " at "
					+ current.uri() + ": " + current.body());
		}
		Matcher csrf = CSRF.matcher(current.body());
		if (!csrf.find()) {
			throw new IllegalStateException("No CSRF token on the login page:\n" + current.body());
		}
		current = postForm("/auth/login", Map.of("username", username, "password", password, "_csrf",
				csrf.group(1) != null ? csrf.group(1) : csrf.group(2)));
		for (int hops = 0; hops < 6; hops++) {
			if (current.statusCode() / 100 != 3) {
				throw new IllegalStateException("Login stopped at " + current.statusCode() + " " + current.uri() + ": "
						+ current.body());
			}
			URI next = location(current);
			String path = next.getPath();
			if (!path.startsWith("/auth/") && !path.startsWith("/login/oauth2/") && !path.startsWith("/oauth2/")) {
				return current;
			}
			current = get(next.toString());
		}
		throw new IllegalStateException("Too many redirects while logging in");
	}

	URI location(HttpResponse<String> response) {
		return response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
	}

	String cookie(String name) {
		return cookies.getCookieStore()
			.get(URI.create(origin))
			.stream()
			.filter(cookie -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
		seen.add(response);
		return response;
	}

	private URI uri(String pathOrUrl) {
		return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : origin + pathOrUrl);
	}

	static String form(Map<String, String> values) {
		return new LinkedHashMap<>(values).entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

}
