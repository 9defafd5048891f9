package dev.bookmarks.auth.security;

import dev.bookmarks.auth.federation.SocialLogin;
import dev.bookmarks.auth.oidc.AuthProperties;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form; Spring Security handles the POST. */
@Controller
@Tag(name = "Identity", description = "The OpenID Connect provider under `/auth` (discovery at "
		+ "`/auth/.well-known/openid-configuration`): its sign-in page.")
class LoginController {

	private final AuthProperties properties;

	private final SocialLogin socialLogin;

	LoginController(AuthProperties properties, SocialLogin socialLogin) {
		this.properties = properties;
		this.socialLogin = socialLogin;
	}

	@GetMapping("/login")
	@SecurityRequirements
	@Operation(summary = "The sign-in page", description = "An HTML form posting `username` (or email address), "
			+ "`password` and `_csrf` to this address; apps reach it through the authorization-code flow with PKCE.")
	@ApiResponse(responseCode = "200", description = "The page.",
			content = @Content(mediaType = "text/html", schema = @Schema(type = "string")))
	String login(Model model) {
		model.addAttribute("registerUrl", properties.publicOrigin() + "/register");
		model.addAttribute("passwordResetUrl", properties.publicOrigin() + "/password-reset");
		model.addAttribute("socialLogins", socialLogin.providers());
		return "login";
	}

}
