package dev.herald.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * npm socket.io-client 4.8 against a server with both kinds of compression on: polling through
 * Node's fetch (which asks for gzip and deflate, as a browser does) and WebSocket through
 * {@code ws} (which offers permessage-deflate). Payloads below and above the 1 KiB threshold,
 * {@code socket.compress(false)} and {@code io.compress(false)} broadcasts, and big messages from
 * the client (which {@code ws} deflates) all arrive intact. What went over the wire compressed is
 * checked on the raw wire in herald-netty's {@code CompressionTest}; here a middleware records
 * what each client asked for, so the test knows compression was in play.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompressionInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BIG = "compressible ".repeat(800);
    private static final String SMALL = "tiny";

    private SocketIoServer io;
    private NettyServer server;
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
    private final List<String> extensionOffers = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() {
        io = SocketIoServer.create(SocketIoOptions.builder()
                .engine(EngineIoOptions.builder()
                        .perMessageDeflate(true)
                        .use((req, headers) -> {
                            req.header("accept-encoding").ifPresent(acceptEncodings::add);
                            req.header("sec-websocket-extensions").ifPresent(extensionOffers::add);
                        })
                        .build())
                .build());
        Namespace ns = io.of("/");
        ns.onConnect(socket -> sockets.put(socket.id(), socket));
        ns.onCall("echo", (socket, args) -> args.nodes());
        server = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(io.engine())
                .build()
                .start();
    }

    @AfterAll
    void stop() {
        io.close();
        server.close();
    }

    private ClientProcess client(String transport) throws IOException {
        String url = "http://127.0.0.1:" + server.port() + "/";
        if (transport.equals("polling")) {
            return ClientProcess.node("v4", url, Map.of("fetch", true));
        }
        return ClientProcess.node("v4", url, Map.of("options", Map.of("transports", List.of("websocket"))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket"})
    void everyPayloadArrivesIntactWithCompressionOnAndOff(String transport) throws Exception {
        try (ClientProcess client = client(transport)) {
            JsonNode connect = client.await("connect", WAIT);
            assertThat(connect.path("transport").asText()).isEqualTo(transport);
            String id = connect.path("id").asText();
            await().atMost(WAIT).until(() -> sockets.containsKey(id));
            Socket socket = sockets.get(id);
            if (transport.equals("polling")) {
                assertThat(acceptEncodings).anyMatch(v -> v.contains("gzip"));
            } else {
                assertThat(extensionOffers).anyMatch(v -> v.contains("permessage-deflate"));
            }

            // Several big ones in a row: over WebSocket the client keeps the deflate context between them.
            for (int i = 0; i < 3; i++) {
                socket.emit("big", i, BIG);
                JsonNode big = client.awaitEvent("big", WAIT);
                assertThat(big.path("args").get(0).asInt()).isEqualTo(i);
                assertThat(big.path("args").get(1).asText()).isEqualTo(BIG);
            }
            socket.emit("small", SMALL);
            assertThat(client.awaitEvent("small", WAIT).path("args").get(0).asText())
                    .isEqualTo(SMALL);

            socket.compress(false).emit("plain", BIG);
            assertThat(client.awaitEvent("plain", WAIT).path("args").get(0).asText())
                    .isEqualTo(BIG);
            // And compressed again after an uncompressed one.
            socket.compress(true).emit("again", BIG);
            assertThat(client.awaitEvent("again", WAIT).path("args").get(0).asText())
                    .isEqualTo(BIG);

            io.of("/").to(id).compress(false).emit("broadcast-plain", BIG);
            assertThat(client.awaitEvent("broadcast-plain", WAIT)
                            .path("args")
                            .get(0)
                            .asText())
                    .isEqualTo(BIG);
            io.of("/").to(id).emit("broadcast", BIG);
            assertThat(client.awaitEvent("broadcast", WAIT).path("args").get(0).asText())
                    .isEqualTo(BIG);

            // The client compresses what it sends over 1 KiB (ws's own threshold); the server inflates it.
            assertThat(client.emitWithAck(WAIT, "echo", BIG).get(0).get(0).asText())
                    .isEqualTo(BIG);
        }
    }
}
