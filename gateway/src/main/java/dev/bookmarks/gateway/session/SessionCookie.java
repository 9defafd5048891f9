package dev.bookmarks.gateway.session;

import java.util.List;

import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * The browser's only credential: an {@code HttpOnly}, {@code SameSite=Lax} cookie holding the id of
 * the server-side session (tokens stay in Redis). {@code Secure} when the request came over HTTPS,
 * so the HTTPS listener never sends it in clear, while plain-HTTP local development still works.
 */
public final class SessionCookie implements WebSessionIdResolver {

	public static final String NAME = "BOOKMARKS_SESSION";

	@Override
	public List<String> resolveSessionIds(ServerWebExchange exchange) {
		List<HttpCookie> cookies = exchange.getRequest().getCookies().get(NAME);
		return cookies == null ? List.of() : cookies.stream().map(HttpCookie::getValue).toList();
	}

	@Override
	public void setSessionId(ServerWebExchange exchange, String sessionId) {
		exchange.getResponse().getCookies().set(NAME, cookie(exchange, sessionId, -1));
	}

	@Override
	public void expireSession(ServerWebExchange exchange) {
		exchange.getResponse().getCookies().set(NAME, cookie(exchange, "", 0));
	}

	/** Whether the request carries a session cookie at all (no Redis lookup). */
	public static boolean present(ServerWebExchange exchange) {
		return exchange.getRequest().getCookies().containsKey(NAME);
	}

	static boolean secure(ServerWebExchange exchange) {
		return exchange.getRequest().getSslInfo() != null || "https".equals(exchange.getRequest().getURI().getScheme());
	}

	private static ResponseCookie cookie(ServerWebExchange exchange, String value, long maxAgeSeconds) {
		ResponseCookie.ResponseCookieBuilder builder = ResponseCookie.from(NAME, value)
			.path("/")
			.httpOnly(true)
			.sameSite("Lax")
			.secure(secure(exchange));
		if (maxAgeSeconds >= 0) {
			builder.maxAge(maxAgeSeconds);
		}
		return builder.build();
	}

}
