package dev.herald.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoServer;
import java.io.IOException;
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

/** {@code socket.conn()}, Node's {@code socket.conn}, seen by the official client over each path. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionHandleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SocketIoServer io;
    private NettyServer server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> upgrades = new CopyOnWriteArrayList<>();
    private final List<String> disconnects = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() {
        io = SocketIoServer.create();
        io.of("/c")
                .onConnect(socket -> {
                    socket.conn().onUpgrade(upgrades::add);
                    sockets.add(socket);
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
        sockets.clear();
        upgrades.clear();
        disconnects.clear();
    }

    private ClientProcess client(String transport) throws IOException {
        return ClientProcess.node(
                "v4",
                "http://127.0.0.1:" + server.port() + "/c",
                Map.of("options", ClientProcess.options(transport, false)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void closingTheConnectionLeavesNoDisconnectPacketSoTheClientSeesATransportClose(String transport) throws Exception {
        try (ClientProcess client = client(transport)) {
            JsonNode connected = client.await("connect", WAIT);
            await().atMost(WAIT).until(() -> sockets.size() == 1);
            Socket socket = sockets.get(0);
            assertThat(socket.conn().remoteAddress()).isEqualTo("127.0.0.1");
            assertThat(socket.conn().protocol()).isEqualTo(4);
            if (transport.equals("upgrade")) {
                // The upgrade may have finished before the connect handler registered its handler.
                await().atMost(WAIT).until(() -> socket.conn().transport().equals("websocket"));
                boolean upgradedLater = connected.path("transport").asText().equals("polling");
                if (upgradedLater) {
                    await().atMost(WAIT).until(() -> upgrades.equals(List.of("websocket")));
                }
            } else {
                assertThat(socket.conn().transport()).isEqualTo(transport);
            }

            socket.conn().close();
            assertThat(client.await("disconnect", WAIT).path("reason").asText()).isEqualTo("transport close");
            await().atMost(WAIT).until(() -> !disconnects.isEmpty());
            assertThat(disconnects).containsExactly("forced close");
            assertThat(socket.conn().isOpen()).isFalse();
        }
    }
}
