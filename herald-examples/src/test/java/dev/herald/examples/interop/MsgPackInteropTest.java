package dev.herald.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.parser.Parser;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server with {@link Parser#msgpack()} and the official client built with npm
 * {@code socket.io-msgpack-parser} 3.0 ({@code parser: require("socket.io-msgpack-parser")}):
 * events, acks both ways, binary in both directions, room broadcasts and connection state
 * recovery, over polling, WebSocket, and the default path (polling, then upgrade). A client speaks
 * only its own parser's wire, so every exchange here also proves the server encoded with msgpack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MsgPackInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] BYTES = {0, 1, 2, (byte) 0xff};

    private SocketIoServer io;
    private NettyServer server;
    private final List<String> disconnects = new CopyOnWriteArrayList<>();
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final List<byte[]> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() {
        io = SocketIoServer.create(SocketIoOptions.builder()
                .parser(Parser.msgpack())
                .connectionStateRecovery()
                .build());
        Namespace ns = io.of("/m");
        ns.onConnect(socket -> sockets.put(socket.id(), socket));
        ns.onCall("echo", (socket, args) -> args.nodes());
        ns.on("upload", (socket, args) -> received.add(args.get(1, byte[].class)));
        ns.onCall("join", (socket, args) -> {
            socket.join("room");
            return "ok";
        });
        ns.onCall(
                "whoami",
                (socket, args) -> Map.of(
                        "recovered",
                        socket.recovered(),
                        "inRoom",
                        socket.rooms().contains("room")));
        ns.onDisconnect((socket, reason) -> disconnects.add(reason.wire()));
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
        received.clear();
    }

    private ClientProcess client(String transport) throws IOException {
        Map<String, Object> options = ClientProcess.options(transport, true);
        return ClientProcess.node(
                "v4",
                "http://127.0.0.1:" + server.port() + "/m",
                Map.of("options", options, "parser", "msgpack", "ackReplies", Map.of("ask", "echo")));
    }

    private static Map<String, String> bin(byte[] bytes) {
        return Map.of("$bin", Base64.getEncoder().encodeToString(bytes));
    }

    private static byte[] bytesOf(JsonNode wire) {
        return Base64.getDecoder().decode(wire.path("$bin").asText());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void eventsAcksAndBinaryCrossBothWays(String transport) throws Exception {
        try (ClientProcess client = client(transport)) {
            String id = client.await("connect", WAIT).path("id").asText();

            JsonNode echoed = client.emitWithAck(WAIT, "echo", "hi", 1.5, Map.of("k", List.of(1, "x")), bin(BYTES));
            assertThat(echoed.get(0).get(0).asText()).isEqualTo("hi");
            assertThat(echoed.get(0).get(1).asDouble()).isEqualTo(1.5);
            assertThat(echoed.get(0).get(2).path("k").get(1).asText()).isEqualTo("x");
            assertThat(bytesOf(echoed.get(0).get(3))).isEqualTo(BYTES);

            client.emit("upload", "file", bin(BYTES));
            await().atMost(WAIT).until(() -> !received.isEmpty());
            assertThat(received.get(0)).isEqualTo(BYTES);

            await().atMost(WAIT).until(() -> sockets.containsKey(id));
            Socket socket = sockets.get(id);
            socket.emit("push", "x", BYTES);
            JsonNode push = client.awaitEvent("push", WAIT);
            assertThat(push.path("args").get(0).asText()).isEqualTo("x");
            assertThat(bytesOf(push.path("args").get(1))).isEqualTo(BYTES);

            CompletableFuture<EventArgs> asked = socket.emitWithAck("ask", 7, BYTES);
            EventArgs answer = asked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.get(0, Integer.class)).isEqualTo(7);
            assertThat(answer.get(1, byte[].class)).isEqualTo(BYTES);

            assertThat(client.emitWithAck(WAIT, "join").get(0).asText()).isEqualTo("ok");
            io.of("/m").to("room").emit("news", "all", BYTES);
            JsonNode news = client.awaitEvent("news", WAIT);
            assertThat(bytesOf(news.path("args").get(1))).isEqualTo(BYTES);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void recoveredSessionsGetTheirMissedPacketsWithOffsets(String transport) throws Exception {
        try (ClientProcess client = client(transport)) {
            String id = client.await("connect", WAIT).path("id").asText();
            assertThat(client.emitWithAck(WAIT, "join").get(0).asText()).isEqualTo("ok");
            io.of("/m").to("room").emit("tick", 0, BYTES);
            assertThat(client.awaitEvent("tick", WAIT).path("args").get(0).asInt())
                    .isZero();
            if (transport.equals("upgrade")) {
                await().atMost(WAIT)
                        .until(() -> client.history().stream()
                                .anyMatch(e -> e.path("type").asText().equals("upgrade")
                                        || e.path("transport").asText().equals("websocket")));
            }

            client.send(Map.of("cmd", "drop"));
            await().atMost(WAIT).until(() -> !disconnects.isEmpty());
            for (int i = 1; i <= 3; i++) {
                io.of("/m").to("room").emit("tick", i, BYTES);
            }

            JsonNode again = client.await("connect", WAIT);
            assertThat(again.path("id").asText()).isEqualTo(id);
            assertThat(again.path("recovered").asBoolean()).isTrue();
            for (int i = 1; i <= 3; i++) {
                JsonNode tick = client.awaitEvent("tick", WAIT);
                // The offset is a string last argument, which the client keeps for its next
                // reconnect and (as with Node's server) also passes to the handler.
                assertThat(tick.path("args")).hasSize(3);
                assertThat(tick.path("args").get(2).isTextual()).isTrue();
                assertThat(tick.path("args").get(0).asInt()).as("tick in order").isEqualTo(i);
                assertThat(bytesOf(tick.path("args").get(1))).isEqualTo(BYTES);
            }
            JsonNode who = client.emitWithAck(WAIT, "whoami").get(0);
            assertThat(who.path("recovered").asBoolean()).isTrue();
            assertThat(who.path("inRoom").asBoolean()).isTrue();
        }
    }
}
