package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.CloseReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SocketTest {

    private final SocketIoServer io = SocketIoServer.create();
    private final AtomicReference<Socket> last = new AtomicReference<>();

    {
        io.onConnect(last::set);
    }

    @AfterEach
    void close() {
        io.close();
    }

    private Socket connected(FakeEngineSocket c) throws Exception {
        last.set(null);
        String sid = c.connect("/");
        await().until(() -> last.get() != null);
        assertThat(last.get().id()).isEqualTo(sid);
        return last.get();
    }

    @Nested
    class Acks {
        @Test
        void emitWithAckCompletesWithTheClientsAnswer() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            Socket s = connected(c);
            CompletableFuture<EventArgs> f = s.timeout(Duration.ofSeconds(5)).emitWithAck("q", 1);
            String wire = c.nextText();
            assertThat(wire).matches("2\\d+\\[\"q\",1]");
            String id = wire.substring(1, wire.indexOf('['));
            c.deliver("3" + id + "[\"answer\",2]");
            EventArgs args = f.get(5, TimeUnit.SECONDS);
            assertThat(args.string(0)).isEqualTo("answer");
            assertThat(args.get(1, Integer.class)).isEqualTo(2);
        }

        @Test
        void emitWithAckTimesOut() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            Socket s = connected(c);
            CompletableFuture<EventArgs> f = s.timeout(Duration.ofMillis(100)).emitWithAck("q");
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AckTimeoutException.class);
        }

        @Test
        void callBlocksUntilTheAck() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            Socket s = connected(c);
            CompletableFuture<EventArgs> f = CompletableFuture.supplyAsync(() -> s.call("q", Duration.ofSeconds(5)));
            String wire = c.nextText();
            c.deliver("3" + wire.substring(1, wire.indexOf('[')) + "[7]");
            assertThat(f.get(5, TimeUnit.SECONDS).get(0, Integer.class)).isEqualTo(7);
        }

        @Test
        void pendingAcksFailWhenTheSocketDisconnects() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            Socket s = connected(c);
            CompletableFuture<EventArgs> f = s.emitWithAck("q");
            c.nextText();
            c.clientClose(CloseReason.TRANSPORT_CLOSE);
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AckTimeoutException.class);
        }

        @Test
        void ackFutureStagesDoNotRunOnTheDeliveringThread() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            Socket s = connected(c);
            AtomicReference<Thread> ran = new AtomicReference<>();
            CompletableFuture<EventArgs> f = s.emitWithAck("q");
            CompletableFuture<Void> stage = f.thenAccept(a -> ran.set(Thread.currentThread()));
            String wire = c.nextText();
            c.deliver("3" + wire.substring(1, wire.indexOf('[')) + "[]");
            stage.get(5, TimeUnit.SECONDS);
            assertThat(ran.get()).isNotSameAs(Thread.currentThread());
            assertThat(ran.get().isVirtual()).isTrue();
        }
    }

    @Nested
    class Disconnect {
        @Test
        void clientNamespaceDisconnect() throws Exception {
            AtomicReference<DisconnectReason> reason = new AtomicReference<>();
            io.onDisconnect((s, r) -> reason.set(r));
            FakeEngineSocket c = new FakeEngineSocket(io);
            connected(c);
            c.deliver("1");
            await().untilAtomic(reason, Matchers.equalTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT));
            assertThat(io.sockets().sockets()).isEmpty();
        }

        @Test
        void serverNamespaceDisconnectTellsTheClient() throws Exception {
            AtomicReference<DisconnectReason> reason = new AtomicReference<>();
            io.onDisconnect((s, r) -> reason.set(r));
            FakeEngineSocket c = new FakeEngineSocket(io);
            Socket s = connected(c);
            s.disconnect();
            assertThat(c.nextText()).isEqualTo("1");
            await().untilAtomic(reason, Matchers.equalTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT));
            assertThat(c.isOpen()).isTrue();
        }

        @Test
        void disconnectWithCloseClosesTheConnection() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            Socket s = connected(c);
            s.disconnect(true);
            assertThat(c.nextText()).isEqualTo("1");
            assertThat(c.isOpen()).isFalse();
        }

        @Test
        void transportCloseReachesTheHandlersAfterDisconnectingSawTheRooms() throws Exception {
            List<String> log = new CopyOnWriteArrayList<>();
            io.sockets()
                    .onDisconnecting((s, r) -> log.add(
                            "disconnecting " + r.wire() + " " + s.rooms().contains("room1")));
            io.onDisconnect(
                    (s, r) -> log.add("disconnect " + r.wire() + " " + s.rooms().isEmpty()));
            FakeEngineSocket c = new FakeEngineSocket(io);
            Socket s = connected(c);
            s.join("room1");
            c.clientClose(CloseReason.TRANSPORT_CLOSE);
            await().until(() -> log.size() == 2);
            assertThat(log).containsExactly("disconnecting transport close true", "disconnect transport close true");
        }

        @Test
        void pingTimeoutIsReportedWithItsWireString() throws Exception {
            AtomicReference<DisconnectReason> reason = new AtomicReference<>();
            io.onDisconnect((s, r) -> reason.set(r));
            FakeEngineSocket c = new FakeEngineSocket(io);
            connected(c);
            c.clientClose(CloseReason.PING_TIMEOUT);
            await().untilAtomic(reason, Matchers.equalTo(DisconnectReason.PING_TIMEOUT));
            assertThat(reason.get().wire()).isEqualTo("ping timeout");
        }

        @Test
        void serverCloseTellsSocketsItIsShuttingDown() throws Exception {
            AtomicReference<DisconnectReason> reason = new AtomicReference<>();
            io.onDisconnect((s, r) -> reason.set(r));
            FakeEngineSocket c = new FakeEngineSocket(io);
            connected(c);
            io.close();
            await().untilAtomic(reason, Matchers.equalTo(DisconnectReason.SERVER_SHUTTING_DOWN));
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Nested
    class State {
        @Test
        void personalRoomAndJoinLeave() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            Socket s = connected(c);
            assertThat(s.rooms()).containsExactly(s.id());
            s.join("a", "b").leave("a");
            assertThat(s.rooms()).containsExactlyInAnyOrder(s.id(), "b");
        }

        @Test
        void handshakeCarriesQueryHeadersAndAddress() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io, Map.of("room", "x"));
            Socket s = connected(c);
            assertThat(s.handshake().query("room")).contains("x");
            assertThat(s.handshake().header("User-Agent")).contains("test");
            assertThat(s.handshake().address()).isEqualTo("127.0.0.1");
            assertThat(s.handshake().auth().isObject()).isTrue();
        }

        @Test
        void dataIsPerSocket() throws Exception {
            FakeEngineSocket c1 = new FakeEngineSocket(io);
            Socket s1 = connected(c1);
            FakeEngineSocket c2 = new FakeEngineSocket(io);
            Socket s2 = connected(c2);
            s1.data().put("user", "ann");
            assertThat(s2.data()).isEmpty();
            assertThat(s1.data()).containsEntry("user", "ann");
        }
    }

    @Test
    void socketBroadcastExcludesItself() throws Exception {
        FakeEngineSocket c1 = new FakeEngineSocket(io);
        Socket s1 = connected(c1);
        FakeEngineSocket c2 = new FakeEngineSocket(io);
        connected(c2);
        s1.broadcast().emit("hi");
        assertThat(c2.nextText()).isEqualTo("2[\"hi\"]");
        c1.assertNothingWithin(100);
        assertThat(Set.of()).isEmpty();
    }
}
