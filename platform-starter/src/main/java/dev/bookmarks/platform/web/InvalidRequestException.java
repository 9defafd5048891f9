package dev.bookmarks.platform.web;

import java.util.List;

import dev.bookmarks.platform.web.Problems.InvalidField;

/** A request a handler found invalid beyond bean validation; answered 400 with its fields. */
public class InvalidRequestException extends RuntimeException {

	private final List<InvalidField> errors;

	public InvalidRequestException(String field, String message) {
		this(List.of(new InvalidField(field, message)));
	}

	public InvalidRequestException(List<InvalidField> errors) {
		super(errors.toString());
		this.errors = List.copyOf(errors);
	}

	public List<InvalidField> errors() {
		return errors;
	}

}
