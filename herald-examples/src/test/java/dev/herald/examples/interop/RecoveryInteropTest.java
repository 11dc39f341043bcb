package dev.herald.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connection state recovery with the official client (npm socket.io-client 4.8), which resumes by
 * itself when its connection drops: over polling, WebSocket, and the default path (polling, then
 * upgrade).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SocketIoServer io;
    private NettyServer server;
    private final List<String> disconnects = new CopyOnWriteArrayList<>();
    // Sockets whose disconnect handlers have not run yet: the previous case's client may still be
    // leaving (its process killed, so "transport error") when the next case starts.
    private final AtomicInteger live = new AtomicInteger();

    @BeforeAll
    void start() {
        io = SocketIoServer.create(
                SocketIoOptions.builder().connectionStateRecovery().build());
        Namespace ns = io.of("/r");
        ns.onCall("setup", (socket, args) -> {
            socket.join("room");
            socket.data().put("name", "ann");
            return "ok";
        });
        ns.onCall(
                "whoami",
                (socket, args) -> Map.of(
                        "recovered",
                        socket.recovered(),
                        "name",
                        socket.data().getOrDefault("name", "-"),
                        "inRoom",
                        socket.rooms().contains("room")));
        ns.onConnect(socket -> live.incrementAndGet());
        ns.onDisconnect((socket, reason) -> {
            live.decrementAndGet();
            disconnects.add(reason.wire());
        });
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
        // The previous case's client exits without waiting for its disconnect to be sent: over
        // polling, between two polls, only the heartbeat (45 s) would notice, as in Node. End such
        // a socket here, so that no case starts with another's socket or its disconnect reason.
        io.of("/r").disconnectSockets(true);
        await().atMost(WAIT).until(() -> live.get() == 0);
        disconnects.clear();
    }

    private ClientProcess client(String transport) throws IOException {
        return ClientProcess.node(
                "v4",
                "http://127.0.0.1:" + server.port() + "/r",
                Map.of("options", ClientProcess.options(transport, true)));
    }

    /** Drops the client's connection and waits until the server has seen the socket leave. */
    private void drop(ClientProcess client) {
        client.send(Map.of("cmd", "drop"));
        await().atMost(WAIT).until(() -> !disconnects.isEmpty());
        assertThat(disconnects).containsExactly("transport close");
    }

    private void emitTicks(int from, int to) {
        for (int i = from; i <= to; i++) {
            io.of("/r").to("room").emit("tick", i);
        }
    }

    private static void receivesTicks(ClientProcess client, int from, int to) throws InterruptedException {
        for (int i = from; i <= to; i++) {
            JsonNode tick = client.awaitEvent("tick", WAIT);
            assertThat(tick.path("args").get(0).asInt()).as("tick in order").isEqualTo(i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void theClientGetsItsIdRoomsDataAndMissedEventsBack(String transport) throws Exception {
        try (ClientProcess client = client(transport)) {
            String id = client.await("connect", WAIT).path("id").asText();
            assertThat(client.emitWithAck(WAIT, "setup").get(0).asText()).isEqualTo("ok");
            emitTicks(0, 0);
            receivesTicks(client, 0, 0);
            if (transport.equals("upgrade")) {
                // The upgrade may finish before the connect; either way, drop the WebSocket.
                await().atMost(WAIT)
                        .until(() -> client.history().stream()
                                .anyMatch(e -> e.path("type").asText().equals("upgrade")
                                        || e.path("transport").asText().equals("websocket")));
            }

            drop(client);
            emitTicks(1, 5);

            JsonNode again = client.await("connect", WAIT);
            assertThat(again.path("id").asText()).isEqualTo(id);
            assertThat(again.path("recovered").asBoolean()).isTrue();
            receivesTicks(client, 1, 5);
            JsonNode who = client.emitWithAck(WAIT, "whoami").get(0);
            assertThat(who.path("recovered").asBoolean()).isTrue();
            assertThat(who.path("name").asText()).isEqualTo("ann");
            assertThat(who.path("inRoom").asBoolean()).isTrue();

            emitTicks(6, 6);
            receivesTicks(client, 6, 6);
            assertThat(client.history())
                    .filteredOn(e -> e.path("event").asText().equals("tick"))
                    .hasSize(7);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void aClientThatReceivedNoEventYetRecoversToo(String transport) throws Exception {
        try (ClientProcess client = client(transport)) {
            String id = client.await("connect", WAIT).path("id").asText();
            assertThat(client.emitWithAck(WAIT, "setup").get(0).asText()).isEqualTo("ok");

            drop(client);
            emitTicks(1, 2);

            JsonNode again = client.await("connect", WAIT);
            assertThat(again.path("id").asText()).isEqualTo(id);
            assertThat(again.path("recovered").asBoolean()).isTrue();
            receivesTicks(client, 1, 2);
        }
    }
}
