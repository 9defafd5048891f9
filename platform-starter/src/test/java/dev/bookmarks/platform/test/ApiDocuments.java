package dev.bookmarks.platform.test;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares what a service really routes with what its OpenAPI document says. Routes and
 * operations are written {@code "GET /api/images/{}"}: path variables lose their names, which the
 * document and the code may spell differently.
 */
public final class ApiDocuments {

	private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

	private ApiDocuments() {
	}

	/** Every operation of the document, as {@code "METHOD /path"}. */
	public static Set<String> operations(JsonNode document) {
		Set<String> operations = new TreeSet<>();
		for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
			for (String method : METHODS) {
				if (path.getValue().has(method)) {
					operations.add(route(method, path.getKey()));
				}
			}
		}
		return operations;
	}

	/** A route as {@code "METHOD /path"}, path variables without their names. */
	public static String route(String method, String path) {
		return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}]*}", "{}");
	}

	/** The document promises what every Bookmarks API shares (see ApiConventions in platform-starter). */
	public static void assertSharedConventions(JsonNode document) {
		assertThat(document.get("openapi").asString()).startsWith("3.1");
		assertThat(document.at("/servers/0/url").asString()).as("try it out through the gateway").isEqualTo("/");
		JsonNode schemes = document.at("/components/securitySchemes");
		assertThat(schemes.at("/bearer/scheme").asString()).isEqualTo("bearer");
		assertThat(schemes.at("/session/in").asString()).isEqualTo("cookie");
		assertThat(schemes.at("/csrf/name").asString()).isEqualTo("X-XSRF-TOKEN");
		assertThat(document.at("/components/schemas/ProblemDetail/properties").has("errors")).isTrue();
		assertReferencesResolve(document, document);
		for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
			for (String method : METHODS) {
				JsonNode operation = path.getValue().get(method);
				if (operation == null) {
					continue;
				}
				String name = route(method, path.getKey());
				assertThat(operation.path("summary").asString("")).as("summary of " + name).isNotBlank();
				assertThat(operation.path("tags").isEmpty()).as("tags of " + name).isFalse();
				assertThat(operation.has("security")).as("security of " + name).isTrue();
				assertThat(operation.get("responses")
					.properties()
					.stream()
					.map(Map.Entry::getKey)
					.anyMatch(code -> code.startsWith("2") || code.startsWith("3"))).as("the successful answer of " + name)
					.isTrue();
				for (Map.Entry<String, JsonNode> response : operation.get("responses").properties()) {
					if (response.getKey().startsWith("2") && response.getValue().has("content")) {
						for (Map.Entry<String, JsonNode> content : response.getValue().get("content").properties()) {
							assertThat(content.getValue().has("schema"))
								.as("schema of %s %s in %s", content.getKey(), response.getKey(), name)
								.isTrue();
						}
					}
					if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
						JsonNode body = response.getValue().has("$ref")
								? document.at(response.getValue().get("$ref").asString().substring(1))
								: response.getValue();
						assertThat(body.at("/content/application~1problem+json/schema/$ref").asString(""))
							.as(response.getKey() + " of " + name)
							.isEqualTo("#/components/schemas/ProblemDetail");
					}
				}
			}
		}
	}

	/** Every {@code $ref} of the document names something the document has. */
	private static void assertReferencesResolve(JsonNode document, JsonNode node) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> member : node.properties()) {
				if (member.getKey().equals("$ref") && member.getValue().isString()) {
					String ref = member.getValue().asString();
					assertThat(ref).startsWith("#/");
					assertThat(document.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
				}
				else {
					assertReferencesResolve(document, member.getValue());
				}
			}
		}
		else if (node.isArray()) {
			node.forEach(element -> assertReferencesResolve(document, element));
		}
	}

	/** Whether the document says the operation needs no credentials ({@code security: []}). */
	public static boolean isPublic(JsonNode document, String method, String path) {
		JsonNode security = document.at("/paths").get(path).get(method.toLowerCase(Locale.ROOT)).get("security");
		return security != null && security.isArray() && security.isEmpty();
	}

}
