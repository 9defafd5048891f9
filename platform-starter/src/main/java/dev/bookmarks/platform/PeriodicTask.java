package dev.bookmarks.platform;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * Housekeeping that runs every so often while the application runs (clean-ups, retries). One pass
 * at a time; a failed pass is logged and the next one runs on schedule.
 */
public abstract class PeriodicTask implements SmartLifecycle {

	private final Log log = LogFactory.getLog(getClass());

	private final Duration interval;

	private volatile Disposable loop;

	protected PeriodicTask(Duration interval) {
		this.interval = interval;
	}

	/** One pass. */
	protected abstract Mono<?> runOnce();

	@Override
	public void start() {
		loop = Flux.interval(interval, interval)
			.concatMap(tick -> runOnce().onErrorResume(error -> {
				log.warn(getClass().getSimpleName() + " pass failed: " + error);
				return Mono.empty();
			}))
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = loop;
		loop = null;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return loop != null;
	}

}
