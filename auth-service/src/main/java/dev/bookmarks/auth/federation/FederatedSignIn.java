package dev.bookmarks.auth.federation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.bookmarks.auth.account.Account;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Turns a successful sign-in at another provider into a sign-in as the local account, exactly like
 * the login form's: the principal is a {@link User} named by the account id with the account's
 * roles. The authorization server then sees no difference: tokens carry the account id as
 * {@code sub}, and the stored authorization holds no provider data. Then the person continues where
 * they came from, usually the authorization request of an app.
 * <p>
 * The login filter is told not to store its own authentication (see {@link SocialLogin}), so the
 * session only ever holds the local one; if the account cannot be found or created the person is
 * not signed in at all.
 */
final class FederatedSignIn implements AuthenticationSuccessHandler {

	private static final Logger log = LoggerFactory.getLogger(FederatedSignIn.class);

	private final FederatedAccounts accounts;

	private final AuthenticationSuccessHandler continueWhereTheyCameFrom;

	private final String failureUrl;

	private final SecurityContextRepository contexts = new DelegatingSecurityContextRepository(
			new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	private final WebAuthenticationDetailsSource details = new WebAuthenticationDetailsSource();

	private final RedirectStrategy redirects = new DefaultRedirectStrategy();

	FederatedSignIn(FederatedAccounts accounts, String defaultTargetUrl, String failureUrl) {
		this.accounts = accounts;
		SavedRequestAwareAuthenticationSuccessHandler savedRequest = new SavedRequestAwareAuthenticationSuccessHandler();
		savedRequest.setDefaultTargetUrl(defaultTargetUrl);
		this.continueWhereTheyCameFrom = savedRequest;
		this.failureUrl = failureUrl;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException, ServletException {
		OAuth2AuthenticationToken federated = (OAuth2AuthenticationToken) authentication;
		Account account;
		try {
			account = accounts.signIn(
					ProviderProfile.from(federated.getAuthorizedClientRegistrationId(), federated.getPrincipal()));
		}
		catch (RuntimeException ex) {
			holder.clearContext();
			log.error("Sign-in with {} succeeded there but found or made no local account",
					federated.getAuthorizedClientRegistrationId(), ex);
			redirects.sendRedirect(request, response, failureUrl);
			return;
		}
		Authentication local = localSignIn(account, federated, request);
		SecurityContext context = holder.createEmptyContext();
		context.setAuthentication(local);
		holder.setContext(context);
		contexts.saveContext(context, request, response);
		continueWhereTheyCameFrom.onAuthenticationSuccess(request, response, local);
	}

	private Authentication localSignIn(Account account, OAuth2AuthenticationToken federated,
			HttpServletRequest request) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		for (String role : account.roles()) {
			authorities.add(new SimpleGrantedAuthority("ROLE_" + role));
		}
		// How and when the person proved who they are. The authorization server takes the ID token's
		// auth_time from it; Spring's OIDC login does not always add one.
		boolean factor = false;
		for (GrantedAuthority authority : federated.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority) {
				authorities.add(authority);
				factor = true;
			}
		}
		if (!factor) {
			authorities.add(FactorGrantedAuthority.fromAuthority(FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY));
		}
		User user = new User(account.id().toString(), "", authorities);
		user.eraseCredentials();
		UsernamePasswordAuthenticationToken local = UsernamePasswordAuthenticationToken.authenticated(user, null,
				authorities);
		local.setDetails(details.buildDetails(request));
		return local;
	}

}
