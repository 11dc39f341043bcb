package dev.herald.socketio.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.testing.EngineIoTestClient;
import dev.herald.testing.Received;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire-level checks with the raw Engine.IO test client. */
class WireTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final SocketIoServer io = SocketIoServer.create();
    private final RunningServer server = new RunningServer(io);

    @AfterEach
    void stop() {
        server.close();
    }

    private EngineIoTestClient raw(String transport) {
        return EngineIoTestClient.builder(URI.create("http://127.0.0.1:" + server.port() + "/socket.io/"))
                .transport(transport)
                .connect();
    }

    @Test
    void connectReplyAndFirstEventAreSeparateWebSocketFrames() {
        io.onConnect(s -> s.emit("auth", s.handshake().auth()));
        try (EngineIoTestClient c = raw("websocket")) {
            c.sendMessage("0{\"token\":\"1\"}");
            Received reply = c.nextMessageReceived(T);
            Received event = c.nextMessageReceived(T);
            assertThat(reply.packet().message().orElseThrow().text()).matches("0\\{\"sid\":\"[^\"]+\"}");
            assertThat(event.packet().message().orElseThrow().text()).isEqualTo("2[\"auth\",{\"token\":\"1\"}]");
            assertThat(event.response()).as("frame number").isNotEqualTo(reply.response());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void namespaceWithoutTrailingCommaIsRefusedByName(String transport) {
        try (EngineIoTestClient c = raw(transport)) {
            c.sendMessage("0/random");
            assertThat(c.nextMessage(T).text()).isEqualTo("4/random,{\"message\":\"Invalid namespace\"}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void binaryPacketIsFollowedByItsAttachmentsInOrder(String transport) {
        io.on("message", (s, a) -> s.emit("message-back", a.nodes().toArray()));
        try (EngineIoTestClient c = raw(transport)) {
            c.sendMessage("0");
            c.nextMessage(T);
            c.sendMessage("52-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            c.sendBinary(new byte[] {1, 2, 3});
            c.sendBinary(new byte[] {4, 5, 6});
            assertThat(c.nextMessage(T).text())
                    .isEqualTo(
                            "52-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertThat(c.nextMessage(T).binary()).containsExactly(1, 2, 3);
            assertThat(c.nextMessage(T).binary()).containsExactly(4, 5, 6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void connectionThatJoinsNoNamespaceIsClosedAfterConnectTimeout(String transport) {
        SocketIoServer quick = SocketIoServer.create(
                SocketIoOptions.builder().connectTimeout(Duration.ofMillis(300)).build());
        try (RunningServer s = new RunningServer(quick);
                EngineIoTestClient c = EngineIoTestClient.builder(
                                URI.create("http://127.0.0.1:" + s.port() + "/socket.io/"))
                        .transport(transport)
                        .connect()) {
            long t0 = System.nanoTime();
            c.awaitClosed(T);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(200L, 3000L);
        }
    }
}
