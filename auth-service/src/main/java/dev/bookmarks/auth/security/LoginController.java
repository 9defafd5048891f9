package dev.bookmarks.auth.security;

import dev.bookmarks.auth.federation.SocialLogin;
import dev.bookmarks.auth.oidc.AuthProperties;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form; Spring Security handles the POST. */
@Controller
class LoginController {

	private final AuthProperties properties;

	private final SocialLogin socialLogin;

	LoginController(AuthProperties properties, SocialLogin socialLogin) {
		this.properties = properties;
		this.socialLogin = socialLogin;
	}

	@GetMapping("/login")
	String login(Model model) {
		model.addAttribute("registerUrl", properties.publicOrigin() + "/register");
		model.addAttribute("passwordResetUrl", properties.publicOrigin() + "/password-reset");
		model.addAttribute("socialLogins", socialLogin.providers());
		return "login";
	}

}
