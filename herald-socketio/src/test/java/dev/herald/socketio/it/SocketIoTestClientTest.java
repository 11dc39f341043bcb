package dev.herald.socketio.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.socketio.EventArgs;
import dev.herald.socketio.SocketIoServer;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test client users get in herald-testing, against the real server, over each transport. */
class SocketIoTestClientTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final SocketIoServer io = SocketIoServer.create();
    private final RunningServer server = new RunningServer(io);

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void joinsANamespaceWithAuthAndSeesEventsInOrder(String transport) {
        io.of("/chat").onConnect(s -> {
            s.emit("hello", s.handshake().auth("user").orElse("?"));
            s.emit("second");
        });
        try (SocketIoTestClient c = server.client(transport)
                .namespace("/chat")
                .auth(Map.of("user", "ann"))
                .connect()) {
            assertThat(c.sid()).isNotBlank();
            assertThat(c.nextEvent("hello", T).arg(0).asText()).isEqualTo("ann");
            c.nextEvent("second", T);
            c.expectNoEvent(Duration.ofMillis(200));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void emitsWithAndWithoutAckAndAnswersServerAcks(String transport) throws Exception {
        CompletableFuture<EventArgs> serverGot = new CompletableFuture<>();
        io.onCall("add", (s, a) -> a.get(0, Integer.class) + a.get(1, Integer.class));
        io.on("ask-me", (s, a) -> serverGot.complete(s.call("question", T, "q")));
        try (SocketIoTestClient c = server.client(transport).connect()) {
            assertThat(c.call("add", T, 20, 22).get(0).asInt()).isEqualTo(42);
            c.emit("ask-me");
            ReceivedEvent q = c.nextEvent("question", T);
            assertThat(q.wantsAck()).isTrue();
            c.ack(q, "answer");
            assertThat(serverGot.get(5, TimeUnit.SECONDS).string(0)).isEqualTo("answer");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void binaryGoesBothWays(String transport) throws Exception {
        io.on("bin", (s, a) -> s.emit("bin-back", Map.of("data", a.get(0, byte[].class)), a.get(1, byte[].class)));
        try (SocketIoTestClient c = server.client(transport).connect()) {
            c.emit("bin", new byte[] {1, 2}, new byte[] {3});
            ReceivedEvent back = c.nextEvent("bin-back", T);
            assertThat(back.arg(0).get("data").binaryValue()).containsExactly(1, 2);
            assertThat(back.arg(1).binaryValue()).containsExactly(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void seesAServerDisconnect(String transport) {
        io.on("bye", (s, a) -> s.disconnect());
        try (SocketIoTestClient c = server.client(transport).connect()) {
            c.emit("bye");
            assertThat(c.awaitDisconnect(T)).isEqualTo("io server disconnect");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void failsClearlyWhenTheExpectedEventDoesNotCome(String transport) {
        try (SocketIoTestClient c = server.client(transport).connect()) {
            assertThatThrownBy(() -> c.nextEvent("never", Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("no event");
        }
    }
}
