package dev.bookmarks.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

/** One Kustomize overlay rendered by {@code kubectl kustomize}, as plain YAML maps. */
final class Manifests {

	static final Path K8S = Repository.DEPLOY.resolve("k8s");

	private static final Map<String, Manifests> CACHE = new ConcurrentHashMap<>();

	final String overlay;

	final List<Map<String, Object>> objects;

	private Manifests(String overlay, List<Map<String, Object>> objects) {
		this.overlay = overlay;
		this.objects = objects;
	}

	/** The overlays under deploy/k8s/overlays. */
	static List<String> overlays() {
		try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
			return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Manifests of(String overlay) {
		return CACHE.computeIfAbsent(overlay, name -> new Manifests(name, render(K8S.resolve("overlays").resolve(name))));
	}

	/** deploy/k8s/base on its own: what every overlay starts from. */
	static Manifests base() {
		return CACHE.computeIfAbsent("(base)", name -> new Manifests(name, render(K8S.resolve("base"))));
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> render(Path kustomization) {
		String yaml = kubectl("kustomize", kustomization.toString());
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml().loadAll(yaml)) {
			if (document != null) {
				objects.add((Map<String, Object>) document);
			}
		}
		return objects;
	}

	private static String kubectl(String... args) {
		List<String> command = new ArrayList<>();
		command.add(Files.isExecutable(Path.of("/usr/bin/kubectl")) ? "/usr/bin/kubectl" : "kubectl");
		command.addAll(List.of(args));
		try {
			Path errors = Files.createTempFile("kubectl", ".err");
			Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
			byte[] out = process.getInputStream().readAllBytes();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(errors));
			}
			Files.deleteIfExists(errors);
			return new String(out, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run kubectl (apt-get install kubernetes-client): " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	List<Map<String, Object>> ofKind(String kind) {
		return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
	}

	Optional<Map<String, Object>> find(String kind, String name) {
		return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
	}

	Map<String, Object> get(String kind, String name) {
		return find(kind, name).orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
	}

	static String name(Map<String, Object> object) {
		return (String) map(object, "metadata").get("name");
	}

	static String id(Map<String, Object> object) {
		return object.get("kind") + " " + name(object);
	}

	/** Descends through maps; an absent key gives an empty map. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Map<String, Object> from, String... path) {
		Object node = from;
		for (String key : path) {
			node = node instanceof Map<?, ?> m ? m.get(key) : null;
		}
		return node instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> list(Map<String, Object> from, String... path) {
		Map<String, Object> parent = map(from, java.util.Arrays.copyOf(path, path.length - 1));
		Object node = parent.get(path[path.length - 1]);
		return node instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
	}

	static Map<String, Object> podSpec(Map<String, Object> workload) {
		return map(workload, "spec", "template", "spec");
	}

	static Map<String, Object> podLabels(Map<String, Object> workload) {
		return map(workload, "spec", "template", "metadata", "labels");
	}

	/** The container named as the Deployment (one per service). */
	static Map<String, Object> mainContainer(Map<String, Object> deployment) {
		return list(podSpec(deployment), "containers").stream()
			.filter(c -> name(deployment).equals(c.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(id(deployment) + " has no container named " + name(deployment)));
	}

	/** The ConfigMap a name refers to; generated ConfigMaps are already renamed with their hash by kustomize. */
	Optional<Map<String, Object>> configMap(String name) {
		return find("ConfigMap", name);
	}

	/** A ConfigMap made by a configMapGenerator of that name (kustomize appends a hash of its content). */
	Map<String, Object> configMapNamed(String generatorName) {
		return ofKind("ConfigMap").stream()
			.filter(cm -> name(cm).equals(generatorName) || name(cm).matches(java.util.regex.Pattern.quote(generatorName) + "-[a-z0-9]{10}"))
			.findFirst()
			.orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + generatorName));
	}

	/**
	 * The environment a container starts with, as far as the manifests say: its envFrom ConfigMaps' keys with their
	 * values, then its env entries (values from Secrets as "<secret name/key>").
	 */
	Map<String, String> environment(Map<String, Object> container) {
		Map<String, String> environment = new LinkedHashMap<>();
		for (Map<String, Object> source : list(container, "envFrom")) {
			String name = (String) map(source, "configMapRef").get("name");
			if (name != null) {
				configMap(name).ifPresent(cm -> map(cm, "data").forEach((k, v) -> environment.put(k, String.valueOf(v))));
			}
		}
		for (Map<String, Object> variable : list(container, "env")) {
			Object value = variable.get("value");
			if (value == null) {
				Map<String, Object> secret = map(variable, "valueFrom", "secretKeyRef");
				Map<String, Object> config = map(variable, "valueFrom", "configMapKeyRef");
				Map<String, Object> ref = !secret.isEmpty() ? secret : config;
				value = "<" + ref.get("name") + "/" + ref.get("key") + ">";
			}
			environment.put((String) variable.get("name"), value.toString());
		}
		return environment;
	}

}
