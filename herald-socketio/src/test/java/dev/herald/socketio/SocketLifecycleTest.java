package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.CloseReason;
import dev.herald.socketio.adapter.Admission;
import dev.herald.socketio.adapter.InMemoryAdapter;
import dev.herald.socketio.adapter.SessionRestore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The socket lifecycle under forced interleavings: each test stops the connect flow at one point
 * with a latch, makes the other party act there, and lets it go on. No timing decides an outcome.
 */
class SocketLifecycleTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final List<SocketIoServer> servers = new ArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(SocketIoServer::close);
    }

    private SocketIoServer server(SocketIoOptions.Builder options) {
        SocketIoServer io = SocketIoServer.create(options.build());
        servers.add(io);
        io.onConnect(s -> calls.add("connect"));
        io.onDisconnect((s, reason) -> calls.add("disconnect " + reason.wire()));
        return io;
    }

    /** An adapter that holds the connect flow after the socket joined its rooms, before its CONNECT reply. */
    static final class HeldAdmission extends InMemoryAdapter {
        final CountDownLatch inRooms = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HeldAdmission(Namespace nsp) {
            super(nsp);
        }

        @Override
        public void admit(
                String socketId,
                Set<String> rooms,
                Optional<SessionRestore.Restored> restored,
                Consumer<Admission> greeting) {
            super.admit(socketId, rooms, restored, admission -> {
                inRooms.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                greeting.accept(admission);
            });
        }
    }

    private static void nothingLeftOf(SocketIoServer io) {
        await().atMost(T).untilAsserted(() -> {
            assertThat(io.sockets().sockets()).isEmpty();
            assertThat(io.sockets().adapter().rooms()).isEmpty();
            assertThat(io.clientCount()).isZero();
        });
    }

    @Test
    void aCloseWhileMiddlewaresRunStopsTheConnect() throws Exception {
        SocketIoServer io = server(SocketIoOptions.builder());
        CountDownLatch inMiddleware = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        io.use((s, next) -> {
            inMiddleware.countDown();
            release.await(5, TimeUnit.SECONDS);
            next.proceed();
        });
        FakeEngineSocket c = new FakeEngineSocket(io);
        c.deliver("0");
        assertThat(inMiddleware.await(5, TimeUnit.SECONDS)).isTrue();
        c.clientClose(CloseReason.TRANSPORT_CLOSE);
        release.countDown();

        nothingLeftOf(io);
        assertThat(c.sent).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void aCloseAfterTheJoinAndBeforeTheReplyLeavesNothingBehind() throws Exception {
        SocketIoServer io = server(SocketIoOptions.builder().adapterFactory(HeldAdmission::new));
        HeldAdmission adapter = (HeldAdmission) io.sockets().adapter();
        FakeEngineSocket c = new FakeEngineSocket(io);
        c.deliver("0");
        assertThat(adapter.inRooms.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(adapter.rooms()).hasSize(1);
        c.clientClose(CloseReason.TRANSPORT_CLOSE);
        adapter.release.countDown();

        nothingLeftOf(io);
        assertThat(calls)
                .as("a socket that never connected has no connect or disconnect")
                .isEmpty();
    }

    @Test
    void aBroadcastDuringTheAdmissionFollowsTheConnectReply() throws Exception {
        SocketIoServer io = server(SocketIoOptions.builder().adapterFactory(HeldAdmission::new));
        HeldAdmission adapter = (HeldAdmission) io.sockets().adapter();
        FakeEngineSocket c = new FakeEngineSocket(io);
        c.deliver("0");
        assertThat(adapter.inRooms.await(5, TimeUnit.SECONDS)).isTrue();
        io.emit("early", 1);
        io.asVolatile().emit("early-volatile", 2);
        assertThat(c.sent).as("nothing overtakes the reply").isEmpty();
        adapter.release.countDown();

        assertThat(c.nextText()).startsWith("0{\"sid\"");
        assertThat(c.nextText()).isEqualTo("2[\"early\",1]");
        assertThat(c.nextText()).isEqualTo("2[\"early-volatile\",2]");
        io.emit("late", 3);
        assertThat(c.nextText()).isEqualTo("2[\"late\",3]");
    }

    @Test
    void aCloseRightAfterTheConnectRunsTheDisconnectOnceAfterTheConnectHandler() throws Exception {
        SocketIoServer io = server(SocketIoOptions.builder());
        CountDownLatch inConnect = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        io.onConnect(s -> {
            inConnect.countDown();
            release.await(5, TimeUnit.SECONDS);
        });
        FakeEngineSocket c = new FakeEngineSocket(io);
        c.deliver("0");
        assertThat(inConnect.await(5, TimeUnit.SECONDS)).isTrue();
        c.clientClose(CloseReason.TRANSPORT_CLOSE);
        c.clientClose(CloseReason.TRANSPORT_ERROR);
        release.countDown();

        nothingLeftOf(io);
        await().atMost(T).until(() -> calls.size() == 2);
        assertThat(calls).containsExactly("connect", "disconnect transport close");
    }

    @Test
    void broadcastAcksExpirePerSocketWithTheirTimeout() throws Exception {
        SocketIoServer io = server(SocketIoOptions.builder().maxPendingAcks(2));
        FakeEngineSocket c = new FakeEngineSocket(io);
        String sid = c.connect("/");
        Socket socket = io.sockets().sockets().get(sid);
        for (int i = 0; i < 3; i++) {
            CompletableFuture<List<EventArgs>> replies =
                    io.timeout(Duration.ofMillis(100)).emitWithAck("ask", i);
            assertThatThrownBy(replies::get)
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AckTimeoutException.class);
            await().atMost(T).until(() -> socket.pendingAcks() == 0);
        }
        assertThat(socket.emitWithAck("still-room").isCompletedExceptionally()).isFalse();
    }

    @Test
    void concurrentDispatchRunsDisconnectHandlersAfterTheEventsAlreadyStarted() throws Exception {
        SocketIoServer io = server(SocketIoOptions.builder().dispatchMode(DispatchMode.CONCURRENT));
        CountDownLatch inEvent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        io.on("work", (s, a) -> {
            inEvent.countDown();
            release.await(5, TimeUnit.SECONDS);
            calls.add("work done");
        });
        FakeEngineSocket c = new FakeEngineSocket(io);
        c.connect("/");
        c.deliver("2[\"work\"]");
        assertThat(inEvent.await(5, TimeUnit.SECONDS)).isTrue();
        c.clientClose(CloseReason.TRANSPORT_CLOSE);
        await().during(Duration.ofMillis(200)).atMost(T).until(() -> !calls.contains("disconnect transport close"));
        release.countDown();

        await().atMost(T).until(() -> calls.size() == 3);
        assertThat(calls).containsExactly("connect", "work done", "disconnect transport close");
    }
}
