package dev.bookmarks.auth;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser for the sign-in pages: keeps cookies, never follows redirects (the tests follow
 * them one by one), and asks for HTML.
 */
public final class Browser {

	private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>");

	private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");

	private final HttpClient client = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	public HttpResponse<String> get(String url) {
		return AuthServiceTest.send(client, HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(20))
			.header("Accept", "text/html,application/xhtml+xml")
			.GET()
			.build());
	}

	public HttpResponse<String> postForm(String url, Map<String, String> form) {
		return AuthServiceTest.send(client, HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(20))
			.header("Accept", "text/html,application/xhtml+xml")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(encode(form)))
			.build());
	}

	/** Where a redirect points, resolved against the request's URL. */
	public static String location(HttpResponse<?> response) {
		String location = response.headers()
			.firstValue("Location")
			.orElseThrow(() -> new AssertionError(
					"Expected a redirect but got " + response.statusCode() + ": " + response.body()));
		return response.uri().resolve(location).toString();
	}

	/** The value of the hidden {@code _csrf} input of a page. */
	public static String csrfToken(String html) {
		Matcher input = CSRF_INPUT.matcher(html);
		if (!input.find()) {
			throw new AssertionError("No _csrf input in the page: " + html);
		}
		Matcher value = VALUE.matcher(input.group());
		if (!value.find()) {
			throw new AssertionError("The _csrf input has no value: " + input.group());
		}
		return value.group(1);
	}

	public static String encode(Map<String, String> form) {
		return form.entrySet()
			.stream()
			.map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	public static Map<String, String> queryOf(String url) {
		Map<String, String> parameters = new LinkedHashMap<>();
		String query = URI.create(url).getRawQuery();
		if (query == null) {
			return parameters;
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String name = equals < 0 ? pair : pair.substring(0, equals);
			String value = equals < 0 ? "" : pair.substring(equals + 1);
			parameters.put(java.net.URLDecoder.decode(name, StandardCharsets.UTF_8),
					java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return parameters;
	}

}
