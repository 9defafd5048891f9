package dev.bookmarks.auth.security;

import dev.bookmarks.auth.oidc.AuthProperties;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form; Spring Security handles the POST. */
@Controller
class LoginController {

	private final AuthProperties properties;

	LoginController(AuthProperties properties) {
		this.properties = properties;
	}

	@GetMapping("/login")
	String login(Model model) {
		model.addAttribute("registerUrl", properties.publicOrigin() + "/register");
		model.addAttribute("passwordResetUrl", properties.publicOrigin() + "/password-reset");
		return "login";
	}

}
