package dev.bookmarks.platform.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;

/**
 * What the general rules of the public contract (docs/api.md) say about every call, written into
 * each service's document once instead of on every controller method:
 *
 * <ul>
 * <li>the credentials: a bearer JWT, or the gateway's session cookie plus the CSRF header on
 * unsafe methods; an operation marked {@code @SecurityRequirements()} (empty) needs none;
 * <li>errors are problem+json: the {@code ProblemDetail} schema, referenced by every 4xx and 5xx
 * answer, and the answers every call may get (400 with input, 401/403 with credentials, 404 with
 * a path variable, 429 under {@code /api}, 503 always), unless the operation describes its own.
 * </ul>
 */
public class ApiConventions implements GlobalOpenApiCustomizer {

	public static final String BEARER = "bearer";

	public static final String SESSION = "session";

	public static final String CSRF = "csrf";

	public static final String PROBLEM = "ProblemDetail";

	static final String PROBLEM_JSON = "application/problem+json";

	static final String DESCRIPTION = """
			Served through the gateway, the one public origin: every path here is called there. \
			JSON bodies, camelCase fields, ISO-8601 UTC times, UUID ids. Errors are \
			`application/problem+json` (RFC 9457). Lists are cursor-paged (`limit`, `cursor`; \
			`{items, nextCursor}`). Credentials: a bearer access token from the identity provider at \
			`/auth`, or the web app's session cookie with the CSRF header on unsafe methods.""";

	private static final Set<PathItem.HttpMethod> SAFE = Set.of(PathItem.HttpMethod.GET, PathItem.HttpMethod.HEAD,
			PathItem.HttpMethod.OPTIONS);

	@Override
	public void customise(OpenAPI openApi) {
		Components components = openApi.getComponents() != null ? openApi.getComponents() : new Components();
		openApi.setComponents(components);
		components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.bearerFormat("JWT")
			.description("An access token of the identity provider (issuer `{origin}/auth`), e.g. from the "
					+ "authorization-code flow with PKCE as the public client `bookmarks-mobile`. No CSRF token."));
		components.addSecuritySchemes(SESSION, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
			.in(SecurityScheme.In.COOKIE)
			.name("BOOKMARKS_SESSION")
			.description("The web app's session at the gateway (after signing in at `/login`); the gateway "
					+ "relays the session's access token to the service. Unsafe methods also need `csrf`."));
		components.addSecuritySchemes(CSRF, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
			.in(SecurityScheme.In.HEADER)
			.name("X-XSRF-TOKEN")
			.description("With the session cookie, every POST, PUT, PATCH and DELETE echoes the value of the "
					+ "`XSRF-TOKEN` cookie in this header (else 403). The API browser at `/api/docs` does it by itself."));
		components.addSchemas("InvalidField", object("One invalid field of a request.")
			.addProperty("field", string("The field's JSON name.").example("title"))
			.addProperty("message", string("What is wrong with it.").example("must not be blank"))
			.required(List.of("field", "message")));
		components.addSchemas(PROBLEM, problemSchema());
		standardResponses().forEach(components::addResponses);

		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			if (operation.getSecurity() == null) {
				operation.setSecurity(SAFE.contains(method) ? List.of(requirement(BEARER), requirement(SESSION))
						: List.of(requirement(BEARER), requirement(SESSION).addList(CSRF)));
			}
			describeErrors(path, operation);
		}));
	}

	private static void describeErrors(String path, Operation operation) {
		ApiResponses responses = operation.getResponses() != null ? operation.getResponses() : new ApiResponses();
		operation.setResponses(responses);
		responses.forEach((code, response) -> {
			if (response.get$ref() != null) {
				return;
			}
			// springdoc gives an answer described without content the method's return type; an error
			// is always a problem, and a 204 or 304 has no body at all.
			if (isError(code)) {
				response.setContent(problemContent(null));
			}
			else if (code.equals("204") || code.equals("304")) {
				response.setContent(null);
			}
		});
		boolean takesInput = operation.getRequestBody() != null || operation.getParameters() != null
				&& operation.getParameters().stream().anyMatch(ApiConventions::canBeInvalid);
		boolean secured = !operation.getSecurity().isEmpty();
		addIfMissing(responses, "400", takesInput, "BadRequest");
		addIfMissing(responses, "401", secured, "Unauthorized");
		addIfMissing(responses, "403", secured, "Forbidden");
		addIfMissing(responses, "404", path.contains("{"), "NotFound");
		addIfMissing(responses, "429", path.startsWith("/api/"), "TooManyRequests");
		addIfMissing(responses, "503", true, "ServiceUnavailable");
	}

	/** A query parameter, or a path variable the framework converts (a UUID): a wrong one is a 400. */
	private static boolean canBeInvalid(io.swagger.v3.oas.models.parameters.Parameter parameter) {
		if ("query".equals(parameter.getIn())) {
			return true;
		}
		Schema<?> schema = parameter.getSchema();
		return "path".equals(parameter.getIn()) && schema != null && schema.getFormat() != null;
	}

	private static void addIfMissing(ApiResponses responses, String code, boolean applies, String component) {
		if (applies && !responses.containsKey(code)) {
			responses.addApiResponse(code, new ApiResponse().$ref("#/components/responses/" + component));
		}
	}

	private static boolean isError(String code) {
		return code.startsWith("4") || code.startsWith("5");
	}

	private static Map<String, ApiResponse> standardResponses() {
		Map<String, ApiResponse> responses = new LinkedHashMap<>();
		responses.put("BadRequest", problem("Invalid input; nothing changed.", 400, "Bad Request",
				"1 field is invalid", List.of(Map.of("field", "limit", "message", "must be between 1 and 100"))));
		responses.put("Unauthorized", problem("No valid credentials (never a redirect).", 401, "Unauthorized",
				"A valid access token is required.", null)
			.addHeaderObject("WWW-Authenticate", new Header().schema(string(null).example("Bearer"))));
		responses.put("Forbidden", problem("The caller may not do this, or the CSRF header is missing (session).",
				403, "Forbidden", "You may not do this.", null));
		responses.put("NotFound", problem("No such thing.", 404, "Not Found", "There is no image with that id.",
				null));
		responses.put("TooManyRequests", problem("Over a rate limit; nothing changed. Retry after the given seconds.",
				429, "Too Many Requests", "Too many requests, try again later.", null)
			.addHeaderObject("Retry-After", retryAfter()));
		responses.put("ServiceUnavailable", problem(
				"Overloaded, down or a passing failure; nothing changed. Retry after the given seconds.", 503,
				"Service Unavailable", "The service is unavailable, try again shortly.", null)
			.addHeaderObject("Retry-After", retryAfter()));
		return responses;
	}

	private static ApiResponse problem(String description, int status, String title, String detail,
			List<Map<String, String>> errors) {
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("type", "about:blank");
		example.put("title", title);
		example.put("status", status);
		example.put("detail", detail);
		if (errors != null) {
			example.put("errors", errors);
		}
		return new ApiResponse().description(description).content(problemContent(example));
	}

	private static Content problemContent(Object example) {
		MediaType mediaType = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM));
		if (example != null) {
			mediaType.example(example);
		}
		return new Content().addMediaType(PROBLEM_JSON, mediaType);
	}

	private static Header retryAfter() {
		return new Header().description("Seconds to wait before trying again.")
			.schema(integer("Seconds.").example(5));
	}

	@SuppressWarnings("rawtypes")
	private static Schema problemSchema() {
		Schema<Object> errors = new Schema<>();
		errors.type("array").types(Set.of("array"));
		errors.description("For invalid input: each invalid field.");
		errors.items(new Schema<>().$ref("#/components/schemas/InvalidField"));
		Schema<Object> schema = object("An error, as RFC 9457 problem details. Extra members may say more "
				+ "(e.g. `existingId` when an image was already saved).");
		schema.addProperty("type", string("A URI naming the kind of problem.").example("about:blank"));
		schema.addProperty("title", string("The HTTP status' reason phrase.").example("Bad Request"));
		schema.addProperty("status", integer("The HTTP status code.").example(400));
		schema.addProperty("detail", string("What went wrong, for people.").example("1 field is invalid"));
		schema.addProperty("instance", string("The path that was called.").example("/api/images"));
		schema.addProperty("errors", errors);
		schema.required(List.of("title", "status"));
		schema.additionalProperties(true);
		return schema;
	}

	private static Schema<Object> object(String description) {
		Schema<Object> schema = new Schema<>();
		schema.type("object").types(Set.of("object"));
		return schema.description(description);
	}

	private static Schema<Object> string(String description) {
		Schema<Object> schema = new Schema<>();
		schema.type("string").types(Set.of("string"));
		return schema.description(description);
	}

	private static Schema<Object> integer(String description) {
		Schema<Object> schema = new Schema<>();
		schema.type("integer").types(Set.of("integer"));
		schema.format("int32");
		return schema.description(description);
	}

	private static SecurityRequirement requirement(String scheme) {
		return new SecurityRequirement().addList(scheme);
	}

}
