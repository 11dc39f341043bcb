package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.netty.NettyServer;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a SocketIoObserver sees of real clients, in the order it happens for one socket. */
class SocketIoObserverTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<Duration> durations = new CopyOnWriteArrayList<>();
    private final SocketIoServer io = SocketIoServer.create();
    private final NettyServer netty = NettyServer.builder()
            .host("127.0.0.1")
            .port(0)
            .engine(io.engine())
            .serveClient(false)
            .build()
            .start();

    /** Writes each call as one line; ids are replaced by "sid" so lines compare across runs. */
    private final class Recorder implements SocketIoObserver {
        @Override
        public void socketConnected(Socket socket) {
            seen.add("connected " + socket.namespace().name());
        }

        @Override
        public void socketDisconnected(Socket socket, DisconnectReason reason) {
            seen.add("disconnected " + reason.wire());
        }

        @Override
        public void roomJoined(Namespace namespace, String room, String socketId) {
            seen.add("joined " + (room.equals(socketId) ? "own room" : room));
        }

        @Override
        public void roomLeft(Namespace namespace, String room, String socketId) {
            seen.add("left " + (room.equals(socketId) ? "own room" : room));
        }

        @Override
        public void eventReceived(Socket socket, String event, EventArgs args) {
            seen.add("received " + event + " " + args.get(0, String.class));
        }

        @Override
        public void eventHandled(Socket socket, String event, Duration duration) {
            durations.add(duration);
            seen.add("handled " + event);
        }

        @Override
        public void eventSent(Socket socket, String event, EventArgs args) {
            seen.add("sent " + event + " " + args.get(0, String.class));
        }

        @Override
        public void ackReceived(Socket socket, Duration latency) {
            durations.add(latency);
            seen.add("ack");
        }
    }

    @AfterEach
    void stop() {
        io.close();
        netty.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void seesOneSocketsLifeInOrder(String transport) throws Exception {
        io.observe(new Recorder());
        CompletableFuture<EventArgs> answered = new CompletableFuture<>();
        io.on("hello", (socket, args) -> {
            socket.join("lobby");
            io.to("lobby").emit("news", "for the lobby");
            socket.emitWithAck("question", "ready?").thenAccept(answered::complete);
            socket.leave("lobby");
        });
        SocketIoTestClient c =
                SocketIoTestClient.builder(netty.port()).transport(transport).connect();
        c.emit("hello", "world");
        assertThat(c.nextEvent("news", T).arg(0).asText()).isEqualTo("for the lobby");
        ReceivedEvent question = c.nextEvent("question", T);
        await().atMost(T).until(() -> seen.contains("handled hello"));
        c.ack(question, "yes");
        assertThat(answered.get().get(0, String.class)).isEqualTo("yes");
        c.disconnect();
        await().atMost(T).until(() -> seen.contains("disconnected client namespace disconnect"));

        assertThat(seen)
                .containsExactly(
                        "joined own room",
                        "connected /",
                        "received hello world",
                        "joined lobby",
                        "sent news for the lobby",
                        "sent question ready?",
                        "left lobby",
                        "handled hello",
                        "ack",
                        "left own room",
                        "disconnected client namespace disconnect");
        assertThat(durations).allSatisfy(d -> assertThat(d).isPositive().isLessThan(T));
        c.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void seesTheConnectionAndTheBytesOfItsMessages(String transport) {
        List<String> lines = new CopyOnWriteArrayList<>();
        io.observe(new SocketIoObserver() {
            @Override
            public void connectionOpened(Connection connection) {
                lines.add("opened " + connection.transport());
            }

            @Override
            public void connectionClosed(Connection connection, String reason) {
                lines.add("closed " + reason);
            }

            @Override
            public void messageReceived(Connection connection, int bytes) {
                lines.add("in " + bytes);
            }

            @Override
            public void messageSent(Connection connection, int bytes) {
                lines.add("out " + bytes);
            }
        });
        io.onCall("echo", (socket, args) -> args.get(0, String.class));
        SocketIoTestClient c =
                SocketIoTestClient.builder(netty.port()).transport(transport).connect();
        assertThat(c.call("echo", T, "é").get(0).asText()).isEqualTo("é");
        c.close();
        await().atMost(T).until(() -> lines.contains("closed transport close"));
        // Socket.IO packets in UTF-8: 0 in, 0{"sid":"<20 chars>"} out, 21["echo","é"] in, 31["é"] out (é is 2 bytes).
        assertThat(lines)
                .containsExactly("opened " + transport, "in 1", "out 31", "in 15", "out 8", "closed transport close");
    }

    @Test
    void aThrowingObserverBreaksNeitherTheOthersNorTheSocket() {
        io.observe(new SocketIoObserver() {
            @Override
            public void eventReceived(Socket socket, String event, EventArgs args) {
                throw new IllegalStateException("observer bug");
            }
        });
        io.observe(new Recorder());
        io.onCall("echo", (socket, args) -> args.get(0, String.class));
        SocketIoTestClient c = SocketIoTestClient.builder(netty.port()).connect();
        assertThat(c.call("echo", T, "back").get(0).asText()).isEqualTo("back");
        assertThat(seen).contains("received echo back");
        c.close();
    }

    @Test
    void aSocketRefusedByAConnectHandlerIsReportedGoneAsWellAsAdmitted() {
        io.observe(new Recorder());
        io.onConnect(socket -> {
            throw new ConnectionRefusedException("not today");
        });
        SocketIoTestClient.builder(netty.port()).connectExpectingError();
        await().atMost(T).until(() -> seen.contains("disconnected server namespace disconnect"));
        assertThat(seen)
                .containsExactly(
                        "joined own room", "connected /", "left own room", "disconnected server namespace disconnect");
    }

    @Test
    void seesEachChangeToASocketsDataOnceConnectedButNotWhatAMiddlewareStored() {
        List<String> changes = new CopyOnWriteArrayList<>();
        io.observe(new SocketIoObserver() {
            @Override
            public void socketDataChanged(Socket socket) {
                changes.add(new TreeMap<>(socket.data()).toString());
            }
        });
        io.use((socket, next) -> {
            socket.data().put("from", "middleware");
            next.proceed();
        });
        io.onCall("store", (socket, args) -> {
            Map<String, Object> data = socket.data();
            data.put("a", 1);
            data.putIfAbsent("a", 2); // present: no change
            data.computeIfAbsent("b", k -> 2);
            data.computeIfAbsent("b", k -> 3); // present: no change
            data.merge("a", 10, (x, y) -> (Integer) x + (Integer) y);
            data.remove("missing"); // absent: no change
            data.computeIfPresent("missing", (k, v) -> 1); // absent: no change
            data.compute("missing", (k, v) -> null); // absent and still absent: no change
            data.remove("from");
            assertThatThrownBy(() -> data.keySet().remove("a")).isInstanceOf(UnsupportedOperationException.class);
            return data.size();
        });
        SocketIoTestClient c = SocketIoTestClient.builder(netty.port()).connect();
        assertThat(c.call("store", T).get(0).asInt()).isEqualTo(2);
        assertThat(changes)
                .containsExactly(
                        "{a=1, from=middleware}",
                        "{a=1, b=2, from=middleware}",
                        "{a=11, b=2, from=middleware}",
                        "{a=11, b=2}");
        c.close();
    }
}
