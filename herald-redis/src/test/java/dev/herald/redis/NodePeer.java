package dev.herald.redis;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Node process running {@code src/test/node/peer.js}: a socket.io 4.8 server with
 * {@code @socket.io/redis-adapter}, or {@code @socket.io/redis-emitter}, plus socket.io-client
 * sockets. Commands go in as JSON lines on stdin, events come back as JSON lines on stdout.
 */
final class NodePeer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("src/test/node");
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final OutputStream stdin;
    private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final AtomicInteger ids = new AtomicInteger();

    private NodePeer(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        pump("stdout", process.getInputStream(), true);
        pump("stderr", process.getErrorStream(), false);
    }

    /** Starts {@code node peer.js <mode> <redisUri> <key>}. */
    static NodePeer start(String mode, String redisUri, String key) {
        return run("peer.js", mode, redisUri, key);
    }

    /** Starts {@code node <script> <args…>} in {@code src/test/node}. */
    static NodePeer run(String script, String... args) {
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            throw new IllegalStateException(
                    "Node test dependencies are missing: run `npm ci` in herald-redis/src/test/node");
        }
        try {
            var command = new ArrayList<String>(List.of("node", script));
            command.addAll(List.of(args));
            var process = new ProcessBuilder(command).directory(DIR.toFile()).start();
            return new NodePeer(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node (is Node.js installed?)", e);
        }
    }

    /** A server peer, once it listens; its port is {@link #port()}. */
    static NodePeer server(String redisUri) {
        var peer = start("server", redisUri, "socket.io");
        peer.awaitLine(l -> l.path("ev").asText().equals("listening"));
        return peer;
    }

    /**
     * A server peer with {@code createShardedAdapter} on the Redis Cluster at {@code clusterUri},
     * once it listens.
     */
    static NodePeer sharded(String clusterUri, String subscriptionMode) {
        var peer = run("peer.js", "sharded", clusterUri, "socket.io", subscriptionMode);
        peer.awaitLine(l -> l.path("ev").asText().equals("listening"));
        return peer;
    }

    /** An emitter peer, once it is connected to Redis. */
    static NodePeer emitter(String redisUri) {
        var peer = start("emitter", redisUri, "socket.io");
        peer.awaitLine(l -> l.path("ev").asText().equals("ready"));
        return peer;
    }

    /** A peer that runs only socket.io-client sockets, without Redis. */
    static NodePeer clients() {
        var peer = start("clients", "-", "-");
        peer.awaitLine(l -> l.path("ev").asText().equals("ready"));
        return peer;
    }

    /** The port the server peer listens on. */
    int port() {
        return awaitLine(l -> l.path("ev").asText().equals("listening"))
                .path("port")
                .asInt();
    }

    /** Sends a command and waits for its {@code done} line, which it returns. */
    JsonNode call(ObjectNode command) {
        var id = "q" + ids.incrementAndGet();
        command.put("id", id);
        send(command);
        var reply = awaitLine(l -> id.equals(l.path("id").asText())
                && (l.path("ev").asText().equals("done")
                        || l.path("ev").asText().equals("failed")));
        if (reply.path("ev").asText().equals("failed")) {
            throw new AssertionError("node command failed: " + reply);
        }
        return reply;
    }

    /** Sends a command without waiting. */
    void send(ObjectNode command) {
        try {
            stdin.write((JSON.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("node peer is gone; stderr:\n" + stderr, e);
        }
    }

    /** Starts a socket.io-client socket named {@code name} and waits until it is connected. */
    String connectClient(String name, String url, ObjectNode auth) {
        return connectClient(name, url, auth, "websocket");
    }

    /** Same, over one transport ({@code websocket} or {@code polling}). */
    String connectClient(String name, String url, ObjectNode auth, String transport) {
        var command = command("client");
        command.set("transports", array(transport));
        command.put("client", name);
        command.put("url", url);
        command.set("auth", auth);
        send(command);
        return awaitLine(l -> name.equals(l.path("client").asText())
                        && l.path("ev").asText().equals("connected"))
                .path("sid")
                .asText();
    }

    /**
     * Starts a socket.io-client socket on the Node server at {@code url} with auth {@code {rooms,
     * data: {name}}} (the server peer joins the rooms and keeps the data), waits until it is
     * connected, and returns its unique client name.
     */
    String connectMember(String url, String name, String... rooms) {
        var unique = name + "-" + ids.incrementAndGet() + "-" + System.nanoTime();
        var auth = JSON.createObjectNode();
        auth.set("rooms", array((Object[]) rooms));
        auth.putObject("data").put("name", name);
        connectClient(unique, url, auth);
        return unique;
    }

    /** The events client {@code name} received so far with this event name. */
    List<JsonNode> received(String client, String event) {
        return lines.stream()
                .filter(l -> l.path("ev").asText().equals("event"))
                .filter(l -> client.equals(l.path("client").asText()))
                .filter(l -> event.equals(l.path("name").asText()))
                .toList();
    }

    /** Every line so far that matches. */
    List<JsonNode> lines(Predicate<JsonNode> matching) {
        return lines.stream().filter(matching).toList();
    }

    /** Waits for the first line that matches. */
    JsonNode awaitLine(Predicate<JsonNode> matching) {
        await().atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(20))
                .failFast("node peer exited; stderr:\n" + stderr, () -> !process.isAlive())
                .until(() -> lines.stream().anyMatch(matching));
        return lines.stream().filter(matching).findFirst().orElseThrow();
    }

    /** A new command object. */
    static ObjectNode command(String name) {
        var command = JSON.createObjectNode();
        command.put("cmd", name);
        return command;
    }

    /** A JSON array of these values. */
    static ArrayNode array(Object... values) {
        var array = JSON.createArrayNode();
        for (var value : values) {
            array.add((JsonNode) JSON.valueToTree(value));
        }
        return array;
    }

    /** Binary in the peer's JSON: {@code {"$bin": base64}}. */
    static ObjectNode bin(byte[] bytes) {
        var node = JSON.createObjectNode();
        node.put("$bin", Base64.getEncoder().encodeToString(bytes));
        return node;
    }

    /** The peer's JSON with {@code {"$bin"}} objects turned back into binary nodes. */
    static JsonNode fromWire(JsonNode value) {
        if (value.isObject() && value.size() == 1 && value.path("$bin").isTextual()) {
            return JSON.getNodeFactory()
                    .binaryNode(Base64.getDecoder().decode(value.get("$bin").asText()));
        }
        if (value.isArray()) {
            var copy = JSON.createArrayNode();
            value.forEach(v -> copy.add(fromWire(v)));
            return copy;
        }
        if (value.isObject()) {
            var copy = JSON.createObjectNode();
            value.properties().forEach(e -> copy.set(e.getKey(), fromWire(e.getValue())));
            return copy;
        }
        return value;
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void pump(String name, InputStream stream, boolean json) {
        var thread = new Thread(
                () -> {
                    try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            if (json && line.startsWith("{")) {
                                lines.add(JSON.readTree(line));
                            } else {
                                stderr.append(line).append('\n');
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                },
                "node-peer-" + name);
        thread.setDaemon(true);
        thread.start();
    }
}
