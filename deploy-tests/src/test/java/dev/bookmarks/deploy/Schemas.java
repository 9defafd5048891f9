package dev.bookmarks.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an object the way the API server would, offline, rejecting unknown fields (which the API server would
 * drop or refuse, hiding a typo). Kubernetes' own kinds: fabric8's model; an unknown field lands in a model
 * object's additionalProperties, and a value of the wrong type either fails to bind or comes back changed. The
 * operators' custom resources (Strimzi, CloudNativePG, Prometheus Operator): the schemas under
 * src/test/resources/operator-schemas, hand-written from the operators' CRDs for the fields these manifests use,
 * in the CRDs' own OpenAPI form. Kubernetes types inside them (affinity, topology spread, resources, ...) are
 * named with x-fabric8-type and checked with the model again.
 */
final class Schemas {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, Class<?>> KUBERNETES = Map.ofEntries(
			Map.entry("v1/ConfigMap", ConfigMap.class), Map.entry("v1/Secret", Secret.class),
			Map.entry("v1/Service", Service.class), Map.entry("v1/ServiceAccount", ServiceAccount.class),
			Map.entry("v1/Namespace", Namespace.class), Map.entry("apps/v1/Deployment", Deployment.class),
			Map.entry("apps/v1/StatefulSet", StatefulSet.class),
			Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
			Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
			Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
			Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class));

	private Schemas() {
	}

	/** What is wrong with the object; empty when it is valid. */
	static List<String> problems(Map<String, Object> object) {
		String type = object.get("apiVersion") + "/" + object.get("kind");
		List<String> problems = new ArrayList<>();
		Class<?> model = KUBERNETES.get(type);
		if (model != null) {
			checkWithModel(object, model, Manifests.id(object), problems);
			return problems;
		}
		Map<String, Object> schema = operatorSchema(type);
		if (schema == null) {
			problems.add(Manifests.id(object) + ": no schema for " + type
					+ " (add it to the fabric8 table in Schemas or to src/test/resources/operator-schemas)");
			return problems;
		}
		validate(object, schema, Manifests.id(object), problems);
		return problems;
	}

	static void checkWithModel(Object value, Class<?> model, String path, List<String> problems) {
		Object typed;
		try {
			typed = JSON.convertValue(value, model);
		}
		catch (RuntimeException ex) {
			problems.add(path + ": not a valid " + model.getSimpleName() + ": " + ex.getMessage());
			return;
		}
		unknownFields(typed, path, problems, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
		JsonNode written = JSON.valueToTree(value);
		JsonNode read = JSON.valueToTree(typed);
		if (problems.isEmpty()) {
			differences(written, read, path, problems);
		}
	}

	/** Where a value read back differs from the one written: a wrong type, or a field the model dropped. */
	private static void differences(JsonNode written, JsonNode read, String path, List<String> problems) {
		if (written.equals(read) || (written.isNumber() && read.isNumber()
				&& written.decimalValue().compareTo(read.decimalValue()) == 0)) {
			// int64 fields (runAsUser, terminationGracePeriodSeconds) come back as longs: the same number.
			return;
		}
		if (written.isObject() && read.isObject()) {
			Set<String> names = new java.util.TreeSet<>(written.propertyNames());
			names.addAll(read.propertyNames());
			for (String name : names) {
				JsonNode a = written.get(name);
				JsonNode b = read.get(name);
				if (b == null) {
					problems.add(path + "." + name + ": dropped when read");
				}
				else if (a == null) {
					// The model fills in apiVersion and kind of embedded objects (volumeClaimTemplates): harmless.
					continue;
				}
				else {
					differences(a, b, path + "." + name, problems);
				}
			}
		}
		else if (written.isArray() && read.isArray() && written.size() == read.size()) {
			for (int i = 0; i < written.size(); i++) {
				differences(written.get(i), read.get(i), path + "[" + i + "]", problems);
			}
		}
		else {
			problems.add(path + ": written " + written + ", read as " + read + " (a value of the wrong type?)");
		}
	}

	private static void unknownFields(Object node, String path, List<String> problems, Set<Object> seen) {
		if (node == null || !seen.add(node)) {
			return;
		}
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> unknownFields(value, path + "." + key, problems, seen));
			return;
		}
		if (node instanceof Collection<?> items) {
			int i = 0;
			for (Object item : items) {
				unknownFields(item, path + "[" + i++ + "]", problems, seen);
			}
			return;
		}
		if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
			return;
		}
		for (Class<?> type = node.getClass(); type != Object.class; type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				if (Modifier.isStatic(field.getModifiers())) {
					continue;
				}
				field.setAccessible(true);
				Object value;
				try {
					value = field.get(node);
				}
				catch (IllegalAccessException ex) {
					throw new IllegalStateException(ex);
				}
				if (field.getName().equals("additionalProperties")) {
					if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
						problems.add(path + ": unknown field(s) " + extra.keySet());
					}
				}
				else {
					unknownFields(value, path + "." + field.getName(), problems, seen);
				}
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> operatorSchema(String type) {
		// apiVersion group/version and kind: kafka.strimzi.io/v1beta2/Kafka -> operator-schemas/kafka.strimzi.io/v1beta2/Kafka.yaml
		try (InputStream in = Schemas.class.getResourceAsStream("/operator-schemas/" + type + ".yaml")) {
			return in == null ? null : (Map<String, Object>) new Yaml().load(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A structural-schema subset: type, properties (anything else refused unless additionalProperties or
	 * x-kubernetes-preserve-unknown-fields allows it), required, items, enum, minimum, maximum,
	 * x-kubernetes-int-or-string, and x-fabric8-type for Kubernetes types.
	 */
	@SuppressWarnings("unchecked")
	static void validate(Object value, Map<String, Object> schema, String path, List<String> problems) {
		Object fabric8Type = schema.get("x-fabric8-type");
		if (fabric8Type != null) {
			try {
				checkWithModel(value, Class.forName(fabric8Type.toString()), path, problems);
			}
			catch (ClassNotFoundException ex) {
				problems.add(path + ": schema names an unknown model type " + fabric8Type);
			}
			return;
		}
		if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
			if (!(value instanceof Integer || value instanceof Long || value instanceof String)) {
				problems.add(path + ": must be an integer or a string, is " + describe(value));
			}
			return;
		}
		String type = (String) schema.get("type");
		if (type != null && !hasType(value, type)) {
			problems.add(path + ": must be " + type + ", is " + describe(value));
			return;
		}
		List<Object> allowed = (List<Object>) schema.get("enum");
		if (allowed != null && allowed.stream().noneMatch(a -> Objects.equals(String.valueOf(a), String.valueOf(value)))) {
			problems.add(path + ": " + value + " is not one of " + allowed);
		}
		if (value instanceof Number number) {
			if (schema.get("minimum") instanceof Number min && number.doubleValue() < min.doubleValue()) {
				problems.add(path + ": " + value + " is below the minimum " + min);
			}
			if (schema.get("maximum") instanceof Number max && number.doubleValue() > max.doubleValue()) {
				problems.add(path + ": " + value + " is above the maximum " + max);
			}
		}
		if (value instanceof List<?> items && schema.get("items") instanceof Map<?, ?> itemSchema) {
			for (int i = 0; i < items.size(); i++) {
				validate(items.get(i), (Map<String, Object>) itemSchema, path + "[" + i + "]", problems);
			}
		}
		if (value instanceof Map<?, ?> object) {
			Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
			for (Object required : (List<Object>) schema.getOrDefault("required", List.of())) {
				if (!object.containsKey(required)) {
					problems.add(path + ": missing required field " + required);
				}
			}
			Object additional = schema.get("additionalProperties");
			boolean preserve = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
			object.forEach((key, child) -> {
				Map<String, Object> childSchema = (Map<String, Object>) properties.get(key);
				if (childSchema != null) {
					validate(child, childSchema, path + "." + key, problems);
				}
				else if (additional instanceof Map<?, ?> additionalSchema) {
					validate(child, (Map<String, Object>) additionalSchema, path + "." + key, problems);
				}
				else if (!preserve && !Boolean.TRUE.equals(additional)) {
					problems.add(path + ": unknown field " + key);
				}
			});
		}
	}

	private static boolean hasType(Object value, String type) {
		return switch (type) {
			case "object" -> value instanceof Map;
			case "array" -> value instanceof List;
			case "string" -> value instanceof String;
			case "integer" -> value instanceof Integer || value instanceof Long;
			case "number" -> value instanceof Number;
			case "boolean" -> value instanceof Boolean;
			default -> throw new IllegalStateException("Unknown schema type " + type);
		};
	}

	private static String describe(Object value) {
		return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
	}

}
