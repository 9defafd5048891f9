package dev.bookmarks.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.bookmarks.gateway.problem.ProblemResponses;
import dev.bookmarks.gateway.session.GatewayClientProperties;
import dev.bookmarks.gateway.session.SessionCookie;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.oidc.web.server.logout.OidcClientInitiatedServerLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.WebSessionServerLogoutHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

/**
 * Two kinds of callers, two filter chains.
 *
 * <p><b>Stateless</b>: requests with {@code Authorization: Bearer} (mobile apps, scripts), and
 * requests without the session cookie to paths that never need a session ({@code /api/**},
 * {@code /auth/**}, {@code /media/**}, {@code /assets/**}). The gateway forwards them untouched and
 * each service validates the token itself; no web session is looked up (with Spring Security's
 * defaults every request asked for one, and creating it hopped to a bounded-elastic thread and back
 * on a parallel one, so each proxied request cost the gateway as much CPU as the service behind it,
 * measured with deploy/bench/bench and JFR). No CSRF: a bearer token is not an ambient credential.
 *
 * <p><b>Session</b>: the web app (backend-for-frontend). The gateway is auth-service's confidential
 * client {@code bookmarks-gateway}: it runs the authorization-code flow with PKCE, keeps the tokens
 * in the Redis-backed web session and relays the access token to the services
 * ({@code SessionTokenRelay}). The browser holds only the session cookie, so every unsafe request
 * needs the CSRF token (cookie {@code XSRF-TOKEN} echoed in header {@code X-XSRF-TOKEN} or form
 * field {@code _csrf}). Pages that need a person redirect to the login and come back to the same
 * URL, query string included; {@code /api/**} is never redirected: without a session token the
 * service answers 401 itself.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurity {

	/** Starts the OAuth2 login at auth-service (the web app's {@code /login} page sends here too). */
	static final String LOGIN = "/oauth2/authorization/bookmarks";

	/** Pages that show a person's own data: without a session they redirect to the login. */
	static final String[] PERSONAL_PAGES = { "/", "/account", "/images", "/images/**", "/users", "/users/**",
			"/rankings" };

	/** Paths that never need the gateway's session: auth-service's own pages, pictures, static files. */
	private static final List<String> SESSIONLESS = List.of("/auth", "/media", "/assets");

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain statelessChain(ServerHttpSecurity http, SecurityHeaders headers) {
		return http.securityMatcher(GatewaySecurity::stateless)
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.headers(headers::apply)
			// No authorization rule, and so no filter that checks it or translates its denials: nothing
			// here is authenticated or authorized (the services do both), and every proxied request
			// passes this chain.
			.build();
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	SecurityWebFilterChain sessionChain(ServerHttpSecurity http, SecurityHeaders headers,
			ReactiveClientRegistrationRepository registrations, ServerOAuth2AuthorizedClientRepository authorizedClients,
			GatewayClientProperties client, ProblemResponses problems) {
		WebSessionServerRequestCache requestCache = new WebSessionServerRequestCache();
		// The page comes back exactly as it was asked for, without a ?continue marker.
		requestCache.setMatchingRequestParameterName(null);
		requestCache.setSaveRequestMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, PERSONAL_PAGES));

		RedirectServerAuthenticationEntryPoint toLogin = new RedirectServerAuthenticationEntryPoint(LOGIN);
		toLogin.setRequestCache(requestCache);
		RedirectServerAuthenticationSuccessHandler backToPage = new RedirectServerAuthenticationSuccessHandler("/");
		backToPage.setRequestCache(requestCache);

		DefaultServerOAuth2AuthorizationRequestResolver authorizationRequests = new DefaultServerOAuth2AuthorizationRequestResolver(
				registrations);
		authorizationRequests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());

		OidcClientInitiatedServerLogoutSuccessHandler endAtAuthService = new OidcClientInitiatedServerLogoutSuccessHandler(
				registrations);
		endAtAuthService.setPostLogoutRedirectUri(client.publicOrigin() + "/");
		endAtAuthService.setLogoutSuccessUrl(URI.create("/"));

		CookieServerCsrfTokenRepository csrfTokens = CookieServerCsrfTokenRepository.withHttpOnlyFalse();
		csrfTokens.setCookiePath("/");
		ServerAccessDeniedHandler forbidden = (exchange, denied) -> problems.write(exchange, HttpStatus.FORBIDDEN,
				"The CSRF token is missing or wrong: send the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header.");

		return http
			.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
				// The token as the cookie holds it: pages echo it, nothing renders it into HTML.
				.csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
				.accessDeniedHandler(forbidden))
			.addFilterAfter(issueCsrfCookie(), SecurityWebFiltersOrder.CSRF)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.requestCache(cache -> cache.requestCache(requestCache))
			.headers(headers::apply)
			.oauth2Login(login -> login.clientRegistrationRepository(registrations)
				.authorizedClientRepository(authorizedClients)
				.authorizationRequestResolver(authorizationRequests)
				.authenticationSuccessHandler(backToPage)
				.authenticationFailureHandler(loginFailed()))
			.logout(logout -> logout
				.requiresLogout(ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/logout"))
				.logoutHandler(new DelegatingServerLogoutHandler(new SecurityContextServerLogoutHandler(),
						new WebSessionServerLogoutHandler()))
				.logoutSuccessHandler(endAtAuthService))
			.exceptionHandling(handling -> handling.authenticationEntryPoint(toLogin)
				.accessDeniedHandler((exchange, denied) -> problems.write(exchange, HttpStatus.FORBIDDEN,
						"You may not do this.")))
			.authorizeExchange(exchanges -> exchanges.pathMatchers(PERSONAL_PAGES)
				.authenticated()
				.anyExchange()
				.permitAll())
			.build();
	}

	/**
	 * Whether the request belongs to the stateless chain: a bearer caller, or a caller without a
	 * session cookie on a path that needs no session. Decided from headers alone.
	 */
	static Mono<ServerWebExchangeMatcher.MatchResult> stateless(ServerWebExchange exchange) {
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return ServerWebExchangeMatcher.MatchResult.match();
		}
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		boolean sessionless = SESSIONLESS.stream().anyMatch(prefix -> under(path, prefix))
				|| under(path, "/api") && !SessionCookie.present(exchange);
		return sessionless ? ServerWebExchangeMatcher.MatchResult.match()
				: ServerWebExchangeMatcher.MatchResult.notMatch();
	}

	private static boolean under(String path, String prefix) {
		return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
	}

	/**
	 * Spring Security creates the CSRF token lazily; pages read it from the cookie, so every
	 * response of this chain makes sure the browser has one.
	 */
	private static WebFilter issueCsrfCookie() {
		return (exchange, chain) -> {
			Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
			return token == null ? chain.filter(exchange) : token.then(chain.filter(exchange));
		};
	}

	/** The person sees what happened and how to try again; no redirect, which could loop. */
	private static ServerAuthenticationFailureHandler loginFailed() {
		byte[] page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in failed · Bookmarks"
				+ "</title></head><body><main><h1>Signing in did not work</h1><p>Please <a href=\"/login\">try again</a>."
				+ "</p></main></body></html>")
			.getBytes(StandardCharsets.UTF_8);
		return (webFilterExchange, exception) -> {
			var response = webFilterExchange.getExchange().getResponse();
			response.setStatusCode(HttpStatus.UNAUTHORIZED);
			response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
			return response.writeWith(Mono.just(response.bufferFactory().wrap(page)));
		};
	}

	/** The security headers of every response, pages above all (see {@link SecurityHeaders}). */
	@Bean
	SecurityHeaders securityHeaders() {
		return new SecurityHeaders();
	}

	static final class SecurityHeaders {

		/**
		 * No inline script anywhere. Styles only from files too (scripts set element styles
		 * through the CSSOM, which style-src does not restrict). auth-service's login page needs
		 * nothing more: a stylesheet under /auth/css and a form posting to /auth/login.
		 */
		static final String POLICY = "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
				+ "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

		/**
		 * The save-image page previews the picture the bookmarklet found, which lives on the site
		 * it was clicked on.
		 */
		static final String SAVE_PAGE_POLICY = POLICY.replace("img-src 'self' data:", "img-src 'self' data: https: http:");

		private static final PathPatternParserServerWebExchangeMatcher SAVE_PAGE = new PathPatternParserServerWebExchangeMatcher(
				"/images/new", HttpMethod.GET);

		void apply(ServerHttpSecurity.HeaderSpec headers) {
			headers
				// Caching is each handler's call: stored pictures and photos are cached for a year.
				.cache(ServerHttpSecurity.HeaderSpec.CacheSpec::disable)
				.frameOptions(frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
				.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
				// Written by Spring Security on HTTPS requests only.
				.hsts(hsts -> hsts.maxAge(java.time.Duration.ofDays(365)).includeSubdomains(false))
				.writer(exchange -> SAVE_PAGE.matches(exchange).map(match -> {
					exchange.getResponse()
						.getHeaders()
						.set("Content-Security-Policy", match.isMatch() ? SAVE_PAGE_POLICY : POLICY);
					return match;
				}).then());
		}

	}

}
