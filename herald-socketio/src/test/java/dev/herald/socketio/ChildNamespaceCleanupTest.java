package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.netty.NettyServer;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cleanupEmptyChildNamespaces}: a dynamic namespace's child goes once its last socket has left. */
class ChildNamespaceCleanupTest {

    private static final Duration T = Duration.ofSeconds(5);

    private SocketIoServer io;
    private NettyServer netty;
    private Namespace parent;

    private void start(boolean cleanup) {
        io = SocketIoServer.create(
                SocketIoOptions.builder().cleanupEmptyChildNamespaces(cleanup).build());
        parent = io.of(Pattern.compile("/room-\\d+"))
                .onCall("where", (s, a) -> s.namespace().name());
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

    private SocketIoTestClient client(String transport, String nsp) {
        SocketIoTestClient c = SocketIoTestClient.builder(netty.port())
                .transport(transport)
                .namespace(nsp)
                .connect();
        assertThat(c.call("where", T).get(0).asText()).isEqualTo(nsp);
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void anEmptyChildIsDroppedAndComesBackFreshOnTheNextConnect(String transport) {
        start(true);
        SocketIoTestClient a = client(transport, "/room-1");
        SocketIoTestClient b = client(transport, "/room-1");
        Namespace first = io.namespace("/room-1").orElseThrow();
        a.disconnect();
        await().atMost(T).until(() -> first.sockets().size() == 1);
        assertThat(io.namespace("/room-1")).contains(first);

        b.close();
        await().atMost(T).until(() -> io.namespace("/room-1").isEmpty());
        assertThat(parent.children()).doesNotContain(first);

        SocketIoTestClient again = client(transport, "/room-1");
        assertThat(io.namespace("/room-1")).isPresent().get().isNotSameAs(first);
        again.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void withoutTheOptionChildrenStay(String transport) {
        start(false);
        SocketIoTestClient a = client(transport, "/room-2");
        Namespace child = io.namespace("/room-2").orElseThrow();
        a.close();
        await().atMost(T).until(() -> child.sockets().isEmpty());
        assertThat(io.namespace("/room-2")).contains(child);
    }
}
