package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.EngineIoOptions;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.adapter.InMemoryAdapter;
import dev.herald.testing.EngineIoTestClient;
import dev.herald.testing.SocketIoTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After clients leave, however they leave, the server holds nothing for them: no pending acks,
 * no rooms, no sockets, no clients, no Engine.IO sessions, no handler threads.
 */
class NothingLeftBehindTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final List<Socket> seen = new CopyOnWriteArrayList<>();
    private final SocketIoServer io = SocketIoServer.create(SocketIoOptions.builder()
            .engine(EngineIoOptions.builder()
                    .pingInterval(Duration.ofMillis(300))
                    .pingTimeout(Duration.ofMillis(300))
                    .build())
            .build());
    private final NettyServer netty;

    NothingLeftBehindTest() {
        for (Namespace nsp : List.of(io.sockets(), io.of("/chat"))) {
            nsp.onConnect(socket -> {
                socket.join("room-a", "room-b");
                socket.emitWithAck("never-answered");
                socket.timeout(Duration.ofMinutes(5)).emitWithAck("never-answered");
                seen.add(socket);
            });
            nsp.onCall("echo", (s, a) -> a.node(0));
        }
        netty = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(io.engine())
                .serveClient(false)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        io.close();
        netty.close();
    }

    private SocketIoTestClient connect(String transport, String nsp) {
        SocketIoTestClient c = SocketIoTestClient.builder(netty.port())
                .transport(transport)
                .namespace(nsp)
                .auth(Map.of("token", "t"))
                .connect();
        c.nextEvent("never-answered", T);
        c.nextEvent("never-answered", T);
        assertThat(c.call("echo", T, "x").get(0).asText()).isEqualTo("x");
        return c;
    }

    private void holdsSomethingWhileConnected(int sockets) {
        await().atMost(T).until(() -> seen.size() == sockets);
        for (Socket s : seen) {
            assertThat(s.pendingAcks()).isEqualTo(2);
            assertThat(s.rooms()).contains("room-a", "room-b", s.id());
        }
        assertThat(io.clientCount()).isPositive();
    }

    private void nothingLeftBehind() {
        await().atMost(T).untilAsserted(() -> {
            for (Socket s : seen) {
                assertThat(s.pendingAcks()).as("acks of " + s).isZero();
                assertThat(s.namespace().adapter().socketRooms(s.id()))
                        .as("rooms of " + s)
                        .isEmpty();
            }
            for (Namespace nsp : List.of(io.sockets(), io.of("/chat"))) {
                assertThat(nsp.sockets()).as("sockets of " + nsp.name()).isEmpty();
                assertThat(nsp.adapter().rooms()).as("rooms of " + nsp.name()).isEmpty();
            }
            assertThat(io.clientCount()).as("Socket.IO clients").isZero();
            assertThat(io.engine().sessionCount()).as("Engine.IO sessions").isZero();
            assertThat(io.handlerThreadCount()).as("handler threads").isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aClientThatDisconnectsLeavesNothing(String transport) {
        SocketIoTestClient main = connect(transport, "/");
        SocketIoTestClient chat = connect(transport, "/chat");
        holdsSomethingWhileConnected(2);
        main.disconnect();
        chat.close();
        nothingLeftBehind();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void anAbruptTransportCloseLeavesNothing(String transport) {
        SocketIoTestClient main = connect(transport, "/");
        SocketIoTestClient chat = connect(transport, "/chat");
        holdsSomethingWhileConnected(2);
        main.engine().abort();
        chat.engine().abort();
        nothingLeftBehind();
        main.close();
        chat.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aPingTimeoutLeavesNothing(String transport) {
        URI endpoint = URI.create("http://127.0.0.1:" + netty.port() + "/socket.io/");
        try (EngineIoTestClient silent = EngineIoTestClient.builder(endpoint)
                .transport(transport)
                .autoPong(false)
                .connect()) {
            silent.sendMessage("0");
            holdsSomethingWhileConnected(1);
            assertThat(silent.awaitClosed(T)).isNotNull();
            nothingLeftBehind();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aServerSideDisconnectLeavesNothing(String transport) {
        SocketIoTestClient main = connect(transport, "/");
        holdsSomethingWhileConnected(1);
        seen.get(0).disconnect(true);
        main.awaitDisconnect(T);
        nothingLeftBehind();
        main.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void broadcastAcksThatTimedOutLeaveNothing(String transport) throws Exception {
        SocketIoTestClient main = connect(transport, "/");
        holdsSomethingWhileConnected(1);
        var replies = io.timeout(Duration.ofMillis(100)).emitWithAck("never-answered-broadcast");
        main.nextEvent("never-answered-broadcast", T);
        await().atMost(T).until(replies::isCompletedExceptionally);
        await().atMost(T).until(() -> seen.get(0).pendingAcks() == 2);
        main.close();
        nothingLeftBehind();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void recoverySessionsAndPacketsLeaveWithTheirWindow(String transport) {
        SocketIoServer recovering = SocketIoServer.create(SocketIoOptions.builder()
                .engine(EngineIoOptions.builder()
                        .pingInterval(Duration.ofMillis(300))
                        .pingTimeout(Duration.ofMillis(300))
                        .build())
                .connectionStateRecovery(Duration.ofSeconds(1), true)
                .build());
        NettyServer server = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(recovering.engine())
                .serveClient(false)
                .build()
                .start();
        try {
            SocketIoTestClient client = SocketIoTestClient.builder(server.port())
                    .transport(transport)
                    .connect();
            recovering.emit("kept", 1);
            client.nextEvent("kept", T);
            client.engine().abort();
            InMemoryAdapter adapter = (InMemoryAdapter) recovering.sockets().adapter();
            await().atMost(T).until(() -> adapter.recoverySessionCount() == 1);
            recovering.emit("missed", 2);
            assertThat(adapter.recoveryPacketCount()).isPositive();
            await().atMost(T)
                    .untilAsserted(
                            () -> assertThat(new int[] {adapter.recoverySessionCount(), adapter.recoveryPacketCount()})
                                    .containsExactly(0, 0));
            assertThat(recovering.engine().sessionCount()).isZero();
            client.close();
        } finally {
            recovering.close();
            server.close();
        }
    }
}
