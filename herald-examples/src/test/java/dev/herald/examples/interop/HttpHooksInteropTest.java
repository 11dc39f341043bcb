package dev.herald.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.engineio.ConnectionError;
import dev.herald.engineio.CookieOptions;
import dev.herald.engineio.CorsOptions;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * npm socket.io-client 4.8 against the HTTP hooks, the sticky cookie and CORS, over polling (with
 * its upgrade) and over WebSocket alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_METHOD)
class HttpHooksInteropTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    SocketIoServer io;
    NettyServer server;
    String base;
    final List<ConnectionError> errors = new CopyOnWriteArrayList<>();
    final List<String> cookiesSeen = new CopyOnWriteArrayList<>();
    final List<String> middlewareSaw = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        EngineIoOptions engine = EngineIoOptions.builder()
                .allowRequest(req -> req.header("x-token").orElse("").equals("good"))
                .use((req, headers) -> {
                    middlewareSaw.add(req.query("transport").orElse("?"));
                    req.header("cookie").ifPresent(cookiesSeen::add);
                    headers.set("X-Content-Type-Options", "nosniff");
                })
                .onHeaders((req, headers) -> headers.set("X-Trace-Id", "trace-1"))
                .onConnectionError(errors::add)
                .cookie(CookieOptions.defaults())
                .build();
        io = SocketIoServer.create(SocketIoOptions.builder().engine(engine).build());
        io.of("/").onCall("echo", (socket, args) -> args.node(0));
        server = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(io.engine())
                .cors(CorsOptions.builder().origins("https://app.test").build())
                .build()
                .start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        io.close();
        server.close();
    }

    ClientProcess client(String transport, Map<String, String> headers) throws Exception {
        Map<String, Object> options = new HashMap<>();
        options.put(
                "transports", "websocket".equals(transport) ? List.of("websocket") : List.of("polling", "websocket"));
        options.put("extraHeaders", headers);
        options.put("withCredentials", true);
        return ClientProcess.node("v4", base + "/", Map.of("options", options));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket"})
    void anAllowedClientConnectsThroughTheHooksAndEchoes(String transport) throws Exception {
        try (ClientProcess c = client(transport, Map.of("x-token", "good", "origin", "https://app.test"))) {
            c.await("connect", WAIT);
            assertThat(c.emitWithAck(WAIT, "echo", "hi").get(0).asText()).isEqualTo("hi");
            if (transport.equals("polling")) {
                // The upgrade may be done before the client reports its connect: wait for the server to see it.
                Awaitility.await().atMost(WAIT).until(() -> middlewareSaw.contains("websocket"));
                assertThat(c.emitWithAck(WAIT, "echo", "after upgrade").get(0).asText())
                        .isEqualTo("after upgrade");
                assertThat(middlewareSaw).contains("polling", "websocket");
            } else {
                assertThat(middlewareSaw).containsOnly("websocket");
            }
            assertThat(errors).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket"})
    void allowRequestRefusesAClientWithoutTheToken(String transport) throws Exception {
        try (ClientProcess c = client(transport, Map.of("x-token", "bad"))) {
            JsonNode refusal = c.await("connect_error", WAIT);
            assertThat(refusal.path("message").asText()).isIn("xhr poll error", "websocket error");
            assertThat(errors).isNotEmpty().allSatisfy(e -> {
                assertThat(e.code().code()).isEqualTo(4);
                assertThat(e.context()).containsEntry("name", "ALLOW_REQUEST");
            });
            assertThat(io.engine().sessionCount()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket"})
    void aForeignOriginIsRefusedOnBothTransports(String transport) throws Exception {
        try (ClientProcess c = client(transport, Map.of("x-token", "good", "origin", "https://evil.test"))) {
            c.await("connect_error", WAIT);
            assertThat(errors)
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.context()).containsEntry("name", "ORIGIN_NOT_ALLOWED"));
        }
    }

    @Test
    void theStickyCookieFromThePollingHandshakeComesBackOnTheSessionsLaterRequests() throws Exception {
        // Node's client keeps cookies only with withCredentials; a browser does the same.
        try (ClientProcess c = client("polling", Map.of("x-token", "good"))) {
            c.await("connect", WAIT);
            assertThat(c.emitWithAck(WAIT, "echo", "x").get(0).asText()).isEqualTo("x");
            Awaitility.await().atMost(WAIT).until(() -> !cookiesSeen.isEmpty());
            assertThat(cookiesSeen).allSatisfy(cookie -> assertThat(cookie).matches("io=[A-Za-z0-9_-]{20}"));
        }
    }
}
