package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.EngineIoOptions;
import dev.herald.netty.NettyServer;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The details of a disconnect: the Engine.IO cause behind the Socket.IO reason, as Node passes them. */
class DisconnectDetailsTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final SocketIoServer io = SocketIoServer.create(SocketIoOptions.builder()
            .engine(EngineIoOptions.builder().maxHttpBufferSize(1000).build())
            .build());
    private final NettyServer netty;

    DisconnectDetailsTest() {
        io.onDisconnect((socket, reason) -> seen.add(reason.wire() + " / "
                + socket.disconnectDetails().map(DisconnectDetails::cause).orElse("-")));
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

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aMessageTooLargeIsATransportErrorWhoseCauseSaysSo(String transport) {
        SocketIoTestClient c =
                SocketIoTestClient.builder(netty.port()).transport(transport).connect();
        if (transport.equals("polling")) {
            // The test client reports the refused POST itself.
            assertThatThrownBy(() -> c.emit("big", "x".repeat(5000))).hasMessageContaining("413");
        } else {
            c.emit("big", "x".repeat(5000));
        }
        await().atMost(T).until(() -> !seen.isEmpty());
        assertThat(seen).containsExactly("transport error / message too large");
        c.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aNamespaceDisconnectHasNoDetails(String transport) {
        SocketIoTestClient c =
                SocketIoTestClient.builder(netty.port()).transport(transport).connect();
        c.disconnect();
        await().atMost(T).until(() -> !seen.isEmpty());
        assertThat(seen).containsExactly("client namespace disconnect / -");
        c.close();
    }
}
