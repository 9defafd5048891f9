package dev.bookmarks.devinfra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local stack's traces as a file of JSON lines, one span each: written by the infrastructure
 * JVM's {@link OtlpTraceReceiver}, summarised as trees by {@code deploy/local/bookmarks traces}.
 *
 * <pre>
 * java -cp dev-infra-launcher.jar dev.bookmarks.devinfra.TraceFile FILE [TRACE_ID_PREFIX | --last N]
 * </pre>
 */
public final class TraceFile {

    /** Past this size the file is moved to {@code <name>.1} (replacing the older one) and started afresh. */
    static final long ROTATE_AT = 64L * 1024 * 1024;

    private final Path file;

    public TraceFile(Path file) {
        this.file = file;
    }

    /** Appends the spans, one JSON line each. */
    public synchronized void append(List<ReceivedSpan> spans) {
        if (spans.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file) && Files.size(file) > ROTATE_AT) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                for (ReceivedSpan span : spans) {
                    out.write(span.toJson());
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Every span in the file; lines that are not spans are skipped. */
    public List<ReceivedSpan> read() {
        List<ReceivedSpan> spans = new ArrayList<>();
        if (!Files.exists(file)) {
            return spans;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                try {
                    spans.add(parse(line));
                } catch (RuntimeException notASpan) {
                    // a line cut short by a crash
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return spans;
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: TraceFile FILE [TRACE_ID_PREFIX | --last N]");
            System.exit(2);
        }
        String traceId = null;
        int last = 5;
        if (args.length == 3 && args[1].equals("--last")) {
            last = Integer.parseInt(args[2]);
        } else if (args.length == 2) {
            traceId = args[1].toLowerCase();
        }
        List<ReceivedSpan> spans = new TraceFile(Path.of(args[0])).read();
        if (spans.isEmpty()) {
            System.out.println("No spans in " + args[0] + " yet (is the stack running with BOOKMARKS_TRACING=1?)");
            return;
        }
        System.exit(summarise(spans, traceId, last, System.out) ? 0 : 1);
    }

    /**
     * Prints the trace(s) as trees: the one whose id starts with {@code traceId}, else the
     * {@code last} traces that started last. False when no trace matched.
     */
    static boolean summarise(List<ReceivedSpan> spans, String traceId, int last, PrintStream out) {
        Map<String, List<ReceivedSpan>> traces = new LinkedHashMap<>();
        for (ReceivedSpan span : spans) {
            traces.computeIfAbsent(span.traceId(), id -> new ArrayList<>()).add(span);
        }
        List<List<ReceivedSpan>> chosen = new ArrayList<>();
        if (traceId != null) {
            traces.forEach((id, trace) -> {
                if (id.startsWith(traceId)) {
                    chosen.add(trace);
                }
            });
            if (chosen.isEmpty()) {
                out.println("No trace with an id starting " + traceId);
                return false;
            }
        } else {
            traces.values().stream()
                    .sorted(Comparator.comparingLong(TraceFile::startOf).reversed())
                    .limit(last)
                    .forEach(chosen::add);
            chosen.sort(Comparator.comparingLong(TraceFile::startOf));
        }
        for (List<ReceivedSpan> trace : chosen) {
            print(trace, out);
        }
        return true;
    }

    private static long startOf(List<ReceivedSpan> trace) {
        return trace.stream().mapToLong(ReceivedSpan::startNanos).min().orElse(0);
    }

    private static void print(List<ReceivedSpan> trace, PrintStream out) {
        long start = startOf(trace);
        long end = trace.stream().mapToLong(ReceivedSpan::endNanos).max().orElse(start);
        Set<String> services = new java.util.TreeSet<>();
        trace.forEach(span -> services.add(span.service()));
        out.printf("trace %s  %s  %.1f ms  %d spans  %s%n", trace.get(0).traceId(),
                Instant.ofEpochSecond(0, start), (end - start) / 1e6, trace.size(), String.join(", ", services));
        Set<String> ids = new HashSet<>();
        trace.forEach(span -> ids.add(span.spanId()));
        Map<String, List<ReceivedSpan>> children = new HashMap<>();
        List<ReceivedSpan> roots = new ArrayList<>();
        for (ReceivedSpan span : trace) {
            if (span.isRoot() || !ids.contains(span.parentSpanId())) {
                roots.add(span); // a root, or a span whose parent was not recorded
            } else {
                children.computeIfAbsent(span.parentSpanId(), id -> new ArrayList<>()).add(span);
            }
        }
        roots.sort(Comparator.comparingLong(ReceivedSpan::startNanos));
        for (ReceivedSpan root : roots) {
            printTree(root, 1, start, children, out);
        }
        out.println();
    }

    private static void printTree(ReceivedSpan span, int depth, long traceStart, Map<String, List<ReceivedSpan>> children,
            PrintStream out) {
        String indent = "  ".repeat(depth);
        out.printf("%-60s %-9s %9.1f ms  at +%.1f ms%s%n", indent + span.service() + "  " + span.name(), span.kind(),
                span.durationMicros() / 1000.0, (span.startNanos() - traceStart) / 1e6, span.error() ? "  ERROR" : "");
        List<ReceivedSpan> below = new ArrayList<>(children.getOrDefault(span.spanId(), List.of()));
        below.sort(Comparator.comparingLong(ReceivedSpan::startNanos));
        for (ReceivedSpan child : below) {
            printTree(child, depth + 1, traceStart, children, out);
        }
    }

    /** Parses one line as {@link ReceivedSpan#toJson()} wrote it. */
    static ReceivedSpan parse(String line) {
        Map<String, Object> json = new FlatJson(line).object();
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) json.getOrDefault("attributes", Map.of());
        Map<String, String> texts = new LinkedHashMap<>();
        attributes.forEach((k, v) -> texts.put(k, String.valueOf(v)));
        return new ReceivedSpan((String) json.get("service"), (String) json.get("traceId"), (String) json.get("spanId"),
                (String) json.get("parentSpanId"), (String) json.get("name"), (String) json.get("kind"),
                ((Number) json.get("startNanos")).longValue(), ((Number) json.get("endNanos")).longValue(),
                Boolean.TRUE.equals(json.get("error")), texts);
    }

    /** Just enough of a JSON reader for the lines this class writes: objects, strings, integers, booleans. */
    private static final class FlatJson {

        private final String text;
        private int at;

        FlatJson(String text) {
            this.text = text;
        }

        Map<String, Object> object() {
            Map<String, Object> object = new LinkedHashMap<>();
            expect('{');
            if (peek() == '}') {
                at++;
                return object;
            }
            do {
                String key = string();
                expect(':');
                object.put(key, value());
            } while (comma());
            expect('}');
            return object;
        }

        private Object value() {
            char c = peek();
            if (c == '{') {
                return object();
            }
            if (c == '"') {
                return string();
            }
            if (text.startsWith("true", at)) {
                at += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", at)) {
                at += 5;
                return Boolean.FALSE;
            }
            int start = at;
            while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '-')) {
                at++;
            }
            return Long.parseLong(text.substring(start, at));
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = text.charAt(at++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private boolean comma() {
            if (peek() == ',') {
                at++;
                return true;
            }
            return false;
        }

        private char peek() {
            return text.charAt(at);
        }

        private void expect(char c) {
            if (text.charAt(at) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + at);
            }
            at++;
        }
    }
}
