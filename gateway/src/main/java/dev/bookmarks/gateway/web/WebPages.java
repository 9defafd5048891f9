package dev.bookmarks.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * The web app's pages. Every page path answers the same small HTML shell; the ES module it loads
 * reads the path and renders the page from the public API, so the gateway holds no view logic and
 * the browser talks to exactly the API that mobile apps and scripts use. Scripts, styles and the
 * bookmarklet's source are static files under {@code /assets/}.
 */
@Configuration(proxyBeanMethods = false)
class WebPages {

	/** Where Spring Security's {@code WebSessionServerRequestCache} keeps the page to return to after login. */
	static final String SAVED_REQUEST = "SPRING_SECURITY_SAVED_REQUEST";

	private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

	/** A path on this origin: one leading slash, never a scheme-relative {@code //host} or {@code /\host}. */
	private static final Pattern LOCAL_PATH = Pattern.compile("^/(?![/\\\\])[^\\s]*$");

	@Bean
	RouterFunction<ServerResponse> webPageRoutes(@Value("${bookmarks.public-origin:${BOOKMARKS_PUBLIC_ORIGIN:http://localhost:8080}}") String publicOrigin,
			@Value("${bookmarks.web.login-path:/oauth2/authorization/bookmarks}") String loginPath) throws IOException {
		String shell = shell(publicOrigin);
		RouterFunction<ServerResponse> pages = RouterFunctions.route()
			.GET("/", request -> page(shell))
			.GET("/register", request -> page(shell))
			.GET("/password-reset", request -> page(shell))
			.GET("/password-reset/confirm", request -> page(shell))
			.GET("/account", request -> page(shell))
			.GET("/account/email/confirm", request -> page(shell))
			.GET("/images", request -> page(shell))
			.GET("/images/new", request -> page(shell))
			.GET("/images/{id:" + UUID + "}", request -> page(shell))
			.GET("/images/{id:" + UUID + "}/{slug}", request -> page(shell))
			.GET("/users", request -> page(shell))
			.GET("/users/{username}", request -> page(shell))
			.GET("/rankings", request -> page(shell))
			.GET("/bookmarklet", request -> page(shell))
			.GET("/login", request -> login(request, loginPath))
			.build();
		RouterFunction<ServerResponse> assets = RouterFunctions.resources("/assets/**", new ClassPathResource("web/assets/"))
			.filter((request, next) -> {
				// Revalidated on every load: a deploy changes the modules, and they import each other unversioned.
				request.exchange().getResponse().getHeaders().setCacheControl(CacheControl.noCache());
				return next.handle(request);
			});
		return pages.and(assets);
	}

	private static Mono<ServerResponse> page(String shell) {
		return ServerResponse.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noStore())
			.bodyValue(shell);
	}

	/**
	 * Sends the person to the OAuth2 login. With {@code ?next=/a/page} it first remembers that page
	 * (only a path on this origin: no open redirect) where the login's success handler looks for it.
	 */
	private static Mono<ServerResponse> login(ServerRequest request, String loginPath) {
		String next = request.queryParam("next").orElse(null);
		Mono<Void> remember = next == null || next.length() > 2000 || !LOCAL_PATH.matcher(next).matches() ? Mono.empty()
				: request.session().doOnNext(session -> session.getAttributes().put(SAVED_REQUEST, next)).then();
		return remember.then(ServerResponse.status(HttpStatus.FOUND)
			.location(URI.create(loginPath))
			.header(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue())
			.build());
	}

	/** The shell names the public origin, which the bookmarklet must point to wherever it is clicked. */
	private static String shell(String publicOrigin) throws IOException {
		try (InputStream in = new ClassPathResource("web/page.html").getInputStream()) {
			String origin = publicOrigin.endsWith("/") ? publicOrigin.substring(0, publicOrigin.length() - 1) : publicOrigin;
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{publicOrigin}}",
					HtmlUtils.htmlEscape(origin));
		}
	}

}
