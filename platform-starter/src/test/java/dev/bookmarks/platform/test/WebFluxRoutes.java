package dev.bookmarks.platform.test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * What a WebFlux service really routes, written like {@link ApiDocuments#operations}: annotated
 * controllers and router functions. Apart from ApiDocuments so that a servlet service's tests can
 * use that without WebFlux on the classpath.
 */
public final class WebFluxRoutes {

	private WebFluxRoutes() {
	}

	/**
	 * The routes of the application's own controllers and router functions (not the framework's:
	 * springdoc's document, error pages): each pattern with each method, {@code ANY} when a mapping
	 * names none.
	 */
	public static Set<String> of(ApplicationContext context, Function<String, String> publicPath) {
		Set<String> routes = new TreeSet<>();
		for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
			for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
				if (!entry.getValue().getBeanType().getName().startsWith("dev.bookmarks.")) {
					continue;
				}
				Set<HttpMethod> methods = entry.getKey().getMethodsCondition().getMethods().isEmpty() ? Set.of()
						: new HashSet<>(entry.getKey().getMethodsCondition().getMethods().stream()
							.map(method -> HttpMethod.valueOf(method.name()))
							.toList());
				entry.getKey().getPatternsCondition().getPatterns().forEach(pattern -> add(routes, methods,
						publicPath.apply(pattern.getPatternString())));
			}
		}
		for (RouterFunctionMapping mapping : context.getBeansOfType(RouterFunctionMapping.class).values()) {
			if (mapping.getRouterFunction() != null) {
				RouteCollector collector = new RouteCollector();
				mapping.getRouterFunction().accept(collector);
				collector.routes.forEach(route -> add(routes, route.methods, publicPath.apply(route.path)));
			}
		}
		return routes;
	}

	private static void add(Set<String> routes, Set<HttpMethod> methods, String path) {
		if (methods.isEmpty()) {
			routes.add(ApiDocuments.route("ANY", path));
		}
		methods.forEach(method -> routes.add(ApiDocuments.route(method.name(), path)));
	}

	private static final class RouteCollector implements RouterFunctions.Visitor, RequestPredicates.Visitor {

		record Route(Set<HttpMethod> methods, String path) {
		}

		final List<Route> routes = new ArrayList<>();

		private final List<String> prefixes = new ArrayList<>();

		private Set<HttpMethod> methods = Set.of();

		private String path = "";

		@Override
		public void startNested(RequestPredicate predicate) {
			methods = Set.of();
			path = "";
			predicate.accept(this);
			prefixes.add(path);
		}

		@Override
		public void endNested(RequestPredicate predicate) {
			prefixes.remove(prefixes.size() - 1);
		}

		@Override
		public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
			methods = Set.of();
			path = "";
			predicate.accept(this);
			routes.add(new Route(methods, String.join("", prefixes) + path));
		}

		@Override
		public void resources(Function<org.springframework.web.reactive.function.server.ServerRequest,
				reactor.core.publisher.Mono<org.springframework.core.io.Resource>> lookupFunction) {
		}

		@Override
		public void attributes(Map<String, Object> attributes) {
		}

		@Override
		public void unknown(RouterFunction<?> routerFunction) {
		}

		@Override
		public void method(Set<HttpMethod> methods) {
			this.methods = methods;
		}

		@Override
		public void path(String pattern) {
			this.path = pattern;
		}

		@Override
		public void pathExtension(String extension) {
		}

		@Override
		public void header(String name, String value) {
		}

		@Override
		public void queryParam(String name, String value) {
		}

		@Override
		public void version(String version) {
		}

		@Override
		public void startAnd() {
		}

		@Override
		public void and() {
		}

		@Override
		public void endAnd() {
		}

		@Override
		public void startOr() {
		}

		@Override
		public void or() {
		}

		@Override
		public void endOr() {
		}

		@Override
		public void startNegate() {
		}

		@Override
		public void endNegate() {
		}

		@Override
		public void unknown(RequestPredicate predicate) {
		}

	}

}
