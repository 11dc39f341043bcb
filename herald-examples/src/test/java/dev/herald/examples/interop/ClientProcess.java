package dev.herald.examples.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One real Socket.IO client in its own process (npm socket.io-client 4.x/2.x/1.3.6 through
 * {@code src/test/node/client.js}, or Debian's python3-socketio through
 * {@code src/test/python/client.py}), driven over JSON lines.
 *
 * <p>Threading: one reader thread fills the event queue; test code calls the rest from one thread.
 */
public final class ClientProcess implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final Path PYTHON_DIR = Path.of("src/test/python");

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    // Written by the reader thread, read by the test after the process died: for failure messages.
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ackIds = new AtomicInteger();
    // Appended by the reader thread: every output line ever received, for "never arrived" checks.
    private final List<JsonNode> history = new CopyOnWriteArrayList<>();

    private ClientProcess(List<String> command, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        process = builder.start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().name("client-stdout").start(() -> pump(process.inputReader(StandardCharsets.UTF_8), true));
        Thread.ofVirtual().name("client-stderr").start(() -> pump(process.errorReader(StandardCharsets.UTF_8), false));
    }

    /**
     * socket.io-client options for one path: {@code polling} or {@code websocket} alone, or
     * {@code upgrade} (polling, then WebSocket, the default); with {@code reconnecting}, the client
     * comes back by itself 300 ms after a lost connection (no random spread). A mutable map, for
     * more options.
     */
    public static Map<String, Object> options(String path, boolean reconnecting) {
        Map<String, Object> options = new HashMap<>();
        if (!path.equals("upgrade")) {
            options.put("transports", List.of(path));
        }
        if (reconnecting) {
            options.put("reconnection", true);
            options.put("reconnectionDelay", 300);
            options.put("reconnectionDelayMax", 300);
            options.put("randomizationFactor", 0);
        }
        return options;
    }

    /** Starts an npm socket.io-client: {@code version} is v4, v2 or v1 (1.3.6). */
    public static ClientProcess node(String version, String url, Map<String, ?> config) throws IOException {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules"))) {
            throw new IllegalStateException("run 'npm ci' in " + NODE_DIR.toAbsolutePath() + " (./herald test does)");
        }
        ObjectNode cfg = JSON.valueToTree(config);
        cfg.put("version", version).put("url", url);
        return new ClientProcess(List.of("node", "client.js", cfg.toString()), NODE_DIR);
    }

    /** Starts Debian's python3-socketio client (the system interpreter, not a virtualenv's). */
    public static ClientProcess python(String url, Map<String, ?> config) throws IOException {
        ObjectNode cfg = JSON.valueToTree(config);
        cfg.put("url", url);
        return new ClientProcess(List.of("/usr/bin/python3", "client.py", cfg.toString()), PYTHON_DIR);
    }

    private void pump(BufferedReader reader, boolean isStdout) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!isStdout) {
                    stderr.add(line);
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line);
                    history.add(node);
                    events.add(node);
                } catch (IOException e) {
                    stderr.add("(stdout) " + line);
                }
            }
        } catch (IOException ignored) {
            // The process ended; the queue stays as it was.
        }
    }

    /** Sends one command object. */
    public void send(Map<String, ?> command) {
        try {
            stdin.write(JSON.writeValueAsString(command) + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("client process is gone: " + stderr, e);
        }
    }

    /** Emits an event without ack, on the default namespace of the client. */
    public void emit(String event, Object... args) {
        send(Map.of("cmd", "emit", "event", event, "args", List.of(args)));
    }

    /** Emits an event with an ack and waits for the ack's arguments. */
    public JsonNode emitWithAck(Duration timeout, String event, Object... args) throws InterruptedException {
        int id = ackIds.incrementAndGet();
        send(Map.of("cmd", "emit", "event", event, "args", List.of(args), "ack", true, "id", id));
        return await(
                        timeout,
                        e -> e.path("type").asText().equals("ack")
                                && e.path("id").asInt() == id)
                .path("args");
    }

    /** The next output line of the given type, skipping others that don't match. */
    public JsonNode await(String type, Duration timeout) throws InterruptedException {
        return await(timeout, e -> e.path("type").asText().equals(type));
    }

    /** The first event named {@code event}. */
    public JsonNode awaitEvent(String event, Duration timeout) throws InterruptedException {
        return await(
                timeout,
                e -> e.path("type").asText().equals("event")
                        && e.path("event").asText().equals(event));
    }

    /**
     * Waits for the first queued line that matches, discarding the lines before it. Fails with
     * everything seen and the process's stderr when the time runs out.
     */
    public JsonNode await(Duration timeout, Predicate<JsonNode> match) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode next = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                throw new AssertionError("no matching client output within " + timeout + "; seen " + skipped
                        + "; alive=" + process.isAlive() + "; stderr=" + stderr);
            }
            if (match.test(next)) {
                return next;
            }
            skipped.add(next);
        }
    }

    /** Every output line received so far, in order, including those that await() skipped. */
    public List<JsonNode> history() {
        return List.copyOf(history);
    }

    /** Returns the next line if one arrives within the timeout, else null: for "nothing else came" checks. */
    public JsonNode pollNext(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        try {
            send(Map.of("cmd", "exit"));
        } catch (IllegalStateException ignored) {
            // Already gone.
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
