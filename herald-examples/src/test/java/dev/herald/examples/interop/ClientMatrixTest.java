package dev.herald.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.ConnectionRefusedException;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real client nobody here wrote, against one Herald server: npm socket.io-client 4.x, 2.x and
 * 1.3.6 (the last two speak EIO3), and Debian's python3-socketio, each over polling and over
 * WebSocket. Each covers connect with auth (refused and accepted), an event with an ack both ways,
 * a server emit, a room broadcast and binary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientMatrixTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> EVENTS = List.of("welcome", "question", "answer", "shouted");

    private SocketIoServer io;
    private NettyServer server;
    private String base;

    /** One client kind over one transport. */
    record Variant(String client, String transport) {
        boolean python() {
            return client.equals("python");
        }

        /** 1.x and 2.x clients have no auth payload: they send the token in the query. */
        boolean legacy() {
            return client.equals("v1") || client.equals("v2");
        }

        @Override
        public String toString() {
            return client + "/" + transport;
        }
    }

    static Stream<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        for (String client : List.of("v4", "v2", "v1", "python")) {
            for (String transport : List.of("polling", "websocket")) {
                out.add(new Variant(client, transport));
            }
        }
        return out.stream();
    }

    @BeforeAll
    void start() {
        io = SocketIoServer.create(SocketIoOptions.builder()
                .engine(EngineIoOptions.builder().allowEio3(true).build())
                .build());
        Namespace ns = io.of("/matrix");
        ns.use((socket, next) -> {
            String token = socket.handshake()
                    .auth("token")
                    .or(() -> socket.handshake().query("token"))
                    .orElse("");
            if (!token.equals("secret")) {
                throw new ConnectionRefusedException("not authorized", Map.of("reason", "bad token"));
            }
            next.proceed();
        });
        ns.onConnect(socket -> socket.emit("welcome", Map.of("id", socket.id())));
        ns.onCall("echo", (socket, args) -> args.node(0));
        ns.onCall("join", (socket, args) -> {
            socket.join(args.string(0));
            return "joined " + args.string(0);
        });
        ns.on("shout", (socket, args) -> io.of("/matrix").to(args.string(0)).emit("shouted", args.string(1)));
        ns.on("ask", (socket, args) -> {
            EventArgs reply = socket.call("question", WAIT, "six times seven?");
            socket.emit("answer", reply.node(0));
        });
        server = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(io.engine())
                .build()
                .start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    void stop() {
        io.close();
        server.close();
    }

    private ClientProcess connect(Variant v, String token) throws IOException {
        Map<String, Object> config = new HashMap<>();
        config.put("ackReplies", Map.of("question", List.of("forty-two")));
        if (v.python()) {
            config.put("namespaces", List.of("/matrix"));
            config.put("transports", List.of(v.transport()));
            config.put("auth", Map.of("token", token));
            return ClientProcess.python(base, config);
        }
        Map<String, Object> options = new HashMap<>();
        options.put("transports", List.of(v.transport()));
        if (v.legacy()) {
            options.put("query", "token=" + token);
            config.put("events", EVENTS);
        } else {
            options.put("auth", Map.of("token", token));
        }
        config.put("options", options);
        return ClientProcess.node(v.client(), base + "/matrix", config);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void refusesAWrongTokenWithTheMiddlewaresMessage(Variant v) throws Exception {
        try (ClientProcess client = connect(v, "wrong")) {
            JsonNode refusal = client.await(
                    WAIT,
                    e -> List.of("connect_error", "error")
                            .contains(e.path("type").asText()));
            if (v.legacy()) {
                // Protocol v4 (EIO3 clients) carries the refusal's data alone when it has any, as
                // Node's allowEIO3 does.
                assertThat(refusal.path("data").path("reason").asText()).isEqualTo("bad token");
            } else {
                assertThat(refusal.toString()).contains("not authorized");
            }
            if (v.client().equals("v4")) {
                assertThat(refusal.path("data").path("reason").asText()).isEqualTo("bad token");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void connectsEmitsAndAcksBothWays(Variant v) throws Exception {
        try (ClientProcess client = connect(v, "secret")) {
            JsonNode connected = client.await("connect", WAIT);
            JsonNode welcome = client.awaitEvent("welcome", WAIT);
            if (!v.python()) {
                assertThat(welcome.path("args").get(0).path("id").asText()).isNotBlank();
            }
            assertThat(connected).isNotNull();

            JsonNode echoed = client.emitWithAck(WAIT, "echo", Map.of("n", 1, "s", "héllo"));
            assertThat(echoed.get(0).path("n").asInt()).isEqualTo(1);
            assertThat(echoed.get(0).path("s").asText()).isEqualTo("héllo");

            client.emit("ask");
            JsonNode question = client.awaitEvent("question", WAIT);
            assertThat(question.path("args").get(0).asText()).isEqualTo("six times seven?");
            JsonNode answer = client.awaitEvent("answer", WAIT);
            assertThat(answer.path("args").get(0).asText()).isEqualTo("forty-two");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void carriesBinaryBothWays(Variant v) throws Exception {
        byte[] bytes = new byte[300];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        String b64 = Base64.getEncoder().encodeToString(bytes);
        try (ClientProcess client = connect(v, "secret")) {
            client.await("connect", WAIT);
            JsonNode echoed = client.emitWithAck(WAIT, "echo", Map.of("label", "blob", "data", Map.of("$bin", b64)));
            assertThat(echoed.get(0).path("label").asText()).isEqualTo("blob");
            assertThat(echoed.get(0).path("data").path("$bin").asText()).isEqualTo(b64);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void roomBroadcastReachesMembersOnly(Variant v) throws Exception {
        String room = "room-" + v.client() + "-" + v.transport();
        try (ClientProcess a = connect(v, "secret");
                ClientProcess b = connect(v, "secret");
                ClientProcess outsider = connect(v, "secret")) {
            for (ClientProcess c : List.of(a, b, outsider)) {
                c.await("connect", WAIT);
            }
            assertThat(a.emitWithAck(WAIT, "join", room).get(0).asText()).isEqualTo("joined " + room);
            assertThat(b.emitWithAck(WAIT, "join", room).get(0).asText()).isEqualTo("joined " + room);
            assertThat(outsider.emitWithAck(WAIT, "join", "elsewhere").get(0).asText())
                    .isEqualTo("joined elsewhere");

            a.emit("shout", room, "hello room");
            assertThat(b.awaitEvent("shouted", WAIT).path("args").get(0).asText())
                    .isEqualTo("hello room");
            assertThat(a.awaitEvent("shouted", WAIT).path("args").get(0).asText())
                    .isEqualTo("hello room");
            // A round trip after the broadcast proves the outsider's stream was read past it.
            assertThat(outsider.emitWithAck(WAIT, "echo", "marker").get(0).asText())
                    .isEqualTo("marker");
            assertThat(outsider.history())
                    .noneMatch(e -> e.path("event").asText().equals("shouted"));
        }
    }
}
