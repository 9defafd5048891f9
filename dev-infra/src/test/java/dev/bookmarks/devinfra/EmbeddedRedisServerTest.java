package dev.bookmarks.devinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class EmbeddedRedisServerTest {

    private static final int STARTS = 25;

    /**
     * The Redis library writes its binary afresh for every server and then executes it; a process forked by another
     * thread in between inherits the file open for writing, and until that child has execed, executing the binary
     * fails with "Text file busy". {@link LocalInfrastructure} starts PostgreSQL (which forks initdb and pg_ctl) beside
     * Redis, so this happened there (CI, 2026-12-03). Two threads fork here all the time to make it likely: without the
     * retry each of three runs failed within its first ten starts.
     */
    @Test
    void startsWhileOtherThreadsOfTheJvmLaunchProcesses() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger launched = new AtomicInteger();
        List<Thread> launchers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread launcher = new Thread(() -> {
                while (!done.get()) {
                    try {
                        new ProcessBuilder("true").start().waitFor();
                        launched.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "launcher-" + i);
            launcher.start();
            launchers.add(launcher);
        }
        try {
            for (int i = 0; i < STARTS; i++) {
                try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(0, null);
                        TestInfrastructureTest.Resp resp = new TestInfrastructureTest.Resp(redis.host(), redis.port())) {
                    assertThat(resp.call("PING")).isEqualTo("PONG");
                }
            }
        } finally {
            done.set(true);
            for (Thread launcher : launchers) {
                launcher.join();
            }
        }
        assertThat(launched).as("processes launched beside the starts").hasValueGreaterThan(STARTS);
    }
}
