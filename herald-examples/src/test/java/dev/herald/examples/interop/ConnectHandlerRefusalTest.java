package dev.herald.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.ConnectionRefusedException;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connect handler refuses a connection by throwing {@link ConnectionRefusedException}, as
 * Flask-SocketIO's {@code ConnectionRefusedError}: the official client gets {@code connect_error}
 * with the message and data, as from a middleware.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectHandlerRefusalTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SocketIoServer io;
    private NettyServer server;
    private final List<String> disconnects = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() {
        io = SocketIoServer.create();
        io.of("/guarded")
                .onConnect(socket -> {
                    if (!"secret".equals(socket.handshake().auth("token").orElse(""))) {
                        throw new ConnectionRefusedException("not authorized", Map.of("reason", "bad token"));
                    }
                    socket.emit("welcome");
                })
                .onDisconnect((socket, reason) -> disconnects.add(reason.wire()));
        io.of("/late")
                .onConnect(socket -> {
                    socket.emit("welcome");
                    throw new ConnectionRefusedException("changed my mind");
                })
                .onDisconnect((socket, reason) -> disconnects.add(reason.wire()));
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

    @BeforeEach
    void clear() {
        disconnects.clear();
    }

    private ClientProcess client(String transport, String nsp, String token) throws Exception {
        return ClientProcess.node(
                "v4",
                "http://127.0.0.1:" + server.port() + nsp,
                Map.of("options", Map.of("transports", List.of(transport), "auth", Map.of("token", token))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket"})
    void aRefusalBeforeAnyEmitIsAConnectErrorWithTheMessageAndData(String transport) throws Exception {
        try (ClientProcess client = client(transport, "/guarded", "wrong")) {
            JsonNode refusal = client.await("connect_error", WAIT);
            assertThat(refusal.path("message").asText()).isEqualTo("not authorized");
            assertThat(refusal.path("data").path("reason").asText()).isEqualTo("bad token");
            assertThat(client.history()).noneMatch(e -> e.path("type").asText().equals("connect"));
        }
        try (ClientProcess client = client(transport, "/guarded", "secret")) {
            client.await("connect", WAIT);
            client.awaitEvent("welcome", WAIT);
        }
        assertThat(disconnects).doesNotContain("server namespace disconnect");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket"})
    void aRefusalAfterTheHandlerEmittedDisconnectsTheSocket(String transport) throws Exception {
        try (ClientProcess client = client(transport, "/late", "any")) {
            client.await("connect", WAIT);
            client.awaitEvent("welcome", WAIT);
            assertThat(client.await("disconnect", WAIT).path("reason").asText()).isEqualTo("io server disconnect");
            await().atMost(WAIT).until(() -> disconnects.contains("server namespace disconnect"));
        }
    }
}
