package dev.herald.socketio.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.SocketIoServer;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code socket.emit("bye"); socket.disconnect(true)} delivers {@code bye} and the DISCONNECT before
 * the close, to the real npm socket.io-client 4.8, over every transport path (issue 11).
 */
class CloseFlushTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final int ITERATIONS = 30;

    private final SocketIoServer io = SocketIoServer.create();
    private final RunningServer server = new RunningServer(io);

    @BeforeAll
    static void nodeModulesInstalled() {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules"))) {
            throw new IllegalStateException("run 'npm ci' in " + NODE_DIR.toAbsolutePath() + " (./herald test does)");
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** polling only, websocket only, and the default polling-then-upgrade path. */
    private static Map<String, Object> options(String path) {
        return switch (path) {
            case "polling" -> Map.of("transports", List.of("polling"));
            case "websocket" -> Map.of("transports", List.of("websocket"));
            case "upgrade" -> Map.of();
            default -> throw new IllegalArgumentException(path);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void anEmitThenCloseInTheConnectHandlerReachesTheClientEveryTime(String path) throws Exception {
        io.onConnect(socket -> {
            socket.emit("bye");
            socket.disconnect(true);
        });
        assertEveryConnectionSawByeThenServerDisconnect(run(path, "connect"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void anEmitThenCloseInALaterEventHandlerReachesTheClientEveryTime(String path) throws Exception {
        io.on("close-me", (socket, args) -> {
            socket.emit("bye");
            socket.disconnect(true);
        });
        assertEveryConnectionSawByeThenServerDisconnect(run(path, "event"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void anEmitBeforeAServerShutdownReachesTheClient(String path) throws Exception {
        io.on("close-me", (socket, args) -> {
            socket.emit("bye");
            io.close();
        });
        List<JsonNode> results = run(path, "event", 1);
        assertThat(results).hasSize(1);
        // No DISCONNECT on a shutdown, as the reference: the client sees the transport close.
        assertThat(results.get(0).path("bye").asBoolean())
                .as("bye arrived: %s", results.get(0))
                .isTrue();
        assertThat(results.get(0).path("reason").asText()).isEqualTo("transport close");
    }

    private static void assertEveryConnectionSawByeThenServerDisconnect(List<JsonNode> results) {
        assertThat(results).hasSize(ITERATIONS);
        List<JsonNode> lost = results.stream()
                .filter(r ->
                        !r.path("bye").asBoolean() || !r.path("reason").asText().equals("io server disconnect"))
                .toList();
        assertThat(lost).as("connections that lost bye or the DISCONNECT").isEmpty();
    }

    private List<JsonNode> run(String path, String trigger) throws Exception {
        return run(path, trigger, ITERATIONS);
    }

    private List<JsonNode> run(String path, String trigger, int iterations) throws Exception {
        ObjectNode config = JSON.createObjectNode()
                .put("url", "http://127.0.0.1:" + server.port())
                .put("iterations", iterations)
                .put("trigger", trigger)
                .put("maxSeconds", 100);
        config.set("options", JSON.valueToTree(options(path)));
        Process node = new ProcessBuilder("node", "close-flush.js", config.toString())
                .directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<JsonNode> results = new ArrayList<>();
        try (BufferedReader lines = node.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode r = JSON.readTree(line);
                if (r.path("done").asBoolean()) {
                    break;
                }
                results.add(r);
            }
        } finally {
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        return results;
    }
}
