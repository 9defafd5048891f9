package dev.bookmarks.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.util.context.ContextView;

/** Where reactive code finds its request's observation: Spring puts it into the Reactor context. */
public final class ReactorObservations {

	private ReactorObservations() {
	}

	/** The current observation of this Reactor context, or null. */
	public static Observation of(ContextView context) {
		return context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
	}

}
