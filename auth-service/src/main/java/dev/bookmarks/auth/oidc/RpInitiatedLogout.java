package dev.bookmarks.auth.oidc;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.web.authentication.OidcLogoutAuthenticationSuccessHandler;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * OpenID Connect RP-initiated logout ({@code end_session_endpoint}, {@code /connect/logout}) as
 * Spring Authorization Server runs it (the ID token must be one we issued to that client), plus:
 * <ul>
 * <li>the loopback post-logout URI of the mobile client matches on any port, as its redirect URI
 * does (RFC 8252); every other URI must be registered exactly, and an unregistered one is refused
 * with 400 rather than followed;</li>
 * <li>when the browser's session belongs to the person the ID token names, the authorization of
 * that sign-in is revoked too (its refresh token dies), besides ending the session: a public client
 * has no other way to revoke its refresh token;</li>
 * <li>without a post-logout URI, the person lands on the login page saying they are signed out.</li>
 * </ul>
 */
final class RpInitiatedLogout {

	private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);

	private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]");

	private RpInitiatedLogout() {
	}

	/** Replaces the default post_logout_redirect_uri check. */
	static void validatePostLogoutRedirectUri(OidcLogoutAuthenticationContext context) {
		OidcLogoutAuthenticationToken logout = context.getAuthentication();
		String requested = logout.getPostLogoutRedirectUri();
		if (!StringUtils.hasText(requested)) {
			return;
		}
		Set<String> registered = context.getRegisteredClient().getPostLogoutRedirectUris();
		if (registered.contains(requested) || registered.contains(withoutLoopbackPort(requested))) {
			return;
		}
		throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
				"OpenID Connect 1.0 Logout Request Parameter: post_logout_redirect_uri",
				"https://openid.net/specs/openid-connect-rpinitiated-1_0.html#ValidationAndErrorHandling"));
	}

	/** The URI without its port when it is an http loopback address, else null. */
	static String withoutLoopbackPort(String uri) {
		UriComponents components;
		try {
			components = UriComponentsBuilder.fromUriString(uri).build();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (!"http".equals(components.getScheme()) || components.getHost() == null
				|| !LOOPBACK_HOSTS.contains(components.getHost()) || components.getUserInfo() != null
				|| components.getFragment() != null) {
			return null;
		}
		return UriComponentsBuilder.newInstance()
			.uriComponents(components)
			.port(-1)
			.build()
			.toUriString();
	}

	static final class ResponseHandler implements AuthenticationSuccessHandler {

		private final OAuth2AuthorizationService authorizations;

		private final AuthenticationSuccessHandler redirectToClient = new OidcLogoutAuthenticationSuccessHandler();

		private final SecurityContextLogoutHandler endSession = new SecurityContextLogoutHandler();

		private final RedirectStrategy redirects = new DefaultRedirectStrategy();

		ResponseHandler(OAuth2AuthorizationService authorizations) {
			this.authorizations = authorizations;
		}

		@Override
		public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
				Authentication authentication) throws IOException, ServletException {
			OidcLogoutAuthenticationToken logout = (OidcLogoutAuthenticationToken) authentication;
			if (logout.isPrincipalAuthenticated() && logout.getIdToken() != null) {
				OAuth2Authorization authorization = authorizations.findByToken(logout.getIdToken().getTokenValue(),
						ID_TOKEN);
				if (authorization != null) {
					authorizations.remove(authorization);
				}
			}
			if (StringUtils.hasText(logout.getPostLogoutRedirectUri())) {
				// Ends the session and redirects with the state.
				redirectToClient.onAuthenticationSuccess(request, response, authentication);
				return;
			}
			if (logout.isPrincipalAuthenticated()) {
				endSession.logout(request, response, (Authentication) logout.getPrincipal());
			}
			redirects.sendRedirect(request, response, "/login?logout");
		}

	}

}
