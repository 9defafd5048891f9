package dev.bookmarks.auth.oidc;

import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Lets a public client (authentication method {@code none}) use the refresh_token grant.
 * Spring Authorization Server authenticates public clients only by PKCE, which exists for the
 * authorization_code grant alone; a refresh request carries just {@code client_id}. A public
 * client proves nothing more than that: the protection is that the refresh token is a secret
 * bound to that client (the token endpoint checks it) and is good for one use only.
 */
final class PublicClientRefreshAuthentication {

	private PublicClientRefreshAuthentication() {
	}

	/**
	 * Reads {@code grant_type=refresh_token&client_id=...} without any client credentials, at the
	 * token endpoint only (never at introspection or revocation).
	 */
	static final class Converter implements AuthenticationConverter {

		private final RequestMatcher tokenEndpoint;

		Converter(String tokenEndpointPath) {
			this.tokenEndpoint = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, tokenEndpointPath);
		}

		@Override
		public Authentication convert(HttpServletRequest request) {
			if (!tokenEndpoint.matches(request)
					|| !AuthorizationGrantType.REFRESH_TOKEN.getValue()
						.equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
					|| request.getHeader(HttpHeaders.AUTHORIZATION) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
				return null;
			}
			String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
			if (clientIds == null) {
				return null;
			}
			if (clientIds.length != 1 || clientIds[0].isBlank()) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
			}
			Map<String, Object> parameters = new HashMap<>();
			request.getParameterMap().forEach((name, values) -> {
				if (!OAuth2ParameterNames.CLIENT_ID.equals(name)) {
					parameters.put(name, values.length == 1 ? values[0] : values);
				}
			});
			return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null, parameters);
		}

	}

	/** Accepts the client when it is registered as public and may refresh. */
	static final class Provider implements AuthenticationProvider {

		private final RegisteredClientRepository clients;

		Provider(RegisteredClientRepository clients) {
			this.clients = clients;
		}

		@Override
		public Authentication authenticate(Authentication authentication) {
			OAuth2ClientAuthenticationToken client = (OAuth2ClientAuthenticationToken) authentication;
			if (!ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())
					|| !AuthorizationGrantType.REFRESH_TOKEN.getValue()
						.equals(client.getAdditionalParameters().get(OAuth2ParameterNames.GRANT_TYPE))) {
				// Not a public refresh: the PKCE provider or a confidential one handles it.
				return null;
			}
			RegisteredClient registered = clients.findByClientId(String.valueOf(client.getPrincipal()));
			if (registered == null) {
				throw invalidClient(OAuth2ParameterNames.CLIENT_ID);
			}
			if (!registered.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)
					|| !registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
				throw invalidClient("authentication_method");
			}
			return new OAuth2ClientAuthenticationToken(registered, ClientAuthenticationMethod.NONE, null);
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
		}

		private static OAuth2AuthenticationException invalidClient(String parameter) {
			return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
					"Client authentication failed: " + parameter, null));
		}

	}

}
