package dev.bookmarks.auth.account.web;

import java.util.List;

import dev.bookmarks.auth.account.PasswordPolicy;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks a {@link RegistrationRequest}'s password; Spring injects the policy. */
class AcceptablePasswordValidator implements ConstraintValidator<AcceptablePassword, RegistrationRequest> {

	private final PasswordPolicy policy;

	AcceptablePasswordValidator(PasswordPolicy policy) {
		this.policy = policy;
	}

	@Override
	public boolean isValid(RegistrationRequest request, ConstraintValidatorContext context) {
		if (request == null || request.password() == null) {
			return true;
		}
		List<String> problems = policy.problems(request.password(), request.username(), request.email());
		if (problems.isEmpty()) {
			return true;
		}
		context.disableDefaultConstraintViolation();
		for (String problem : problems) {
			context.buildConstraintViolationWithTemplate(escape(problem))
				.addPropertyNode("password")
				.addConstraintViolation();
		}
		return false;
	}

	// The messages are literal text, not message templates.
	private static String escape(String message) {
		return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
	}

}
