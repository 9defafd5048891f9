package dev.bookmarks.auth.account.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * The request's password passes the {@link dev.bookmarks.auth.account.PasswordPolicy}. On the
 * type, because "too like the username" needs the other fields; violations are reported on the
 * {@code password} field.
 */
@Documented
@Constraint(validatedBy = AcceptablePasswordValidator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@interface AcceptablePassword {

	String message() default "This password is not acceptable.";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
