package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.netty.NettyServer;
import dev.herald.testing.SocketIoTestClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SocketIoServer#close(Duration)} and closing the server and its transport in either order. */
class GracefulShutdownTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final Set<Long> threadsBefore =
            platformThreads().stream().map(Thread::threadId).collect(Collectors.toSet());
    private final SocketIoServer io = SocketIoServer.create();
    private final NettyServer netty = NettyServer.builder()
            .host("127.0.0.1")
            .port(0)
            .engine(io.engine())
            .serveClient(false)
            .build()
            .start();
    private final List<SocketIoTestClient> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(SocketIoTestClient::close);
        io.close();
        netty.close();
    }

    private SocketIoTestClient connect(String transport) {
        SocketIoTestClient c =
                SocketIoTestClient.builder(netty.port()).transport(transport).connect();
        clients.add(c);
        return c;
    }

    private static Set<Thread> platformThreads() {
        return Thread.getAllStackTraces().keySet();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aHandlerSleeping500msFinishesWithinA2sGrace(String transport) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        List<DisconnectReason> reasons = new CopyOnWriteArrayList<>();
        io.onDisconnect((s, r) -> reasons.add(r));
        io.on("slow", (s, a) -> {
            started.countDown();
            try {
                Thread.sleep(500);
                outcome.complete("finished");
            } catch (InterruptedException e) {
                outcome.complete("interrupted");
            }
        });
        SocketIoTestClient c = connect(transport);
        c.emit("slow");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        io.close(Duration.ofSeconds(2));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(outcome).isCompletedWithValue("finished");
        assertThat(took).isLessThan(1900);
        assertThat(reasons).containsExactly(DisconnectReason.SERVER_SHUTTING_DOWN);
        c.awaitDisconnect(T);
        assertThat(io.handlerThreadCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aHandlerSleeping10sIsInterruptedAtTheGrace(String transport) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        io.on("stuck", (s, a) -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // until interrupted
                outcome.complete("finished");
            } catch (InterruptedException e) {
                outcome.complete("interrupted");
            }
        });
        SocketIoTestClient c = connect(transport);
        c.emit("stuck");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        io.close(Duration.ofMillis(500));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(outcome.get(1, TimeUnit.SECONDS)).isEqualTo("interrupted");
        assertThat(took).isBetween(450L, 3000L);
        c.awaitDisconnect(T);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void pendingServerToClientAcksFailWithServerShuttingDown(String transport) throws Exception {
        CompletableFuture<Socket> connected = new CompletableFuture<>();
        io.onConnect(connected::complete);
        SocketIoTestClient c = connect(transport);
        Socket socket = connected.get(5, TimeUnit.SECONDS);
        CompletableFuture<EventArgs> unanswered = socket.emitWithAck("question");
        CompletableFuture<EventArgs> timed =
                socket.timeout(Duration.ofSeconds(30)).emitWithAck("question");
        c.nextEvent("question", T);
        c.nextEvent("question", T);

        io.close(Duration.ofSeconds(1));

        for (CompletableFuture<EventArgs> f : List.of(unanswered, timed)) {
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(AckTimeoutException.class)
                    .hasMessage("server shutting down");
        }
        assertThat(socket.pendingAcks()).isZero();
        // And after the close, a new one fails the same way instead of throwing.
        assertThatThrownBy(() -> socket.timeout(Duration.ofSeconds(1))
                        .emitWithAck("late")
                        .get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(AckTimeoutException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void afterCloseThePortIsFreeAndNoThreadRemains(String transport) throws Exception {
        io.on("work", (s, a) -> Thread.sleep(100));
        SocketIoTestClient c = connect(transport);
        c.emit("work");
        int port = netty.port();

        io.close(Duration.ofSeconds(2));
        netty.close();

        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        assertThat(io.handlerThreadCount()).isZero();
        await().atMost(T)
                .untilAsserted(() -> assertThat(platformThreads().stream()
                                .filter(t -> !threadsBefore.contains(t.threadId()))
                                .filter(t -> t.getName().startsWith("herald-")
                                        || t.getName().contains("EventLoop"))
                                .map(Thread::getName))
                        .isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void closingTheTransportFirstThenTheServerIsQuiet(String transport) {
        SocketIoTestClient c = connect(transport);
        netty.close();
        assertThatCode(io::close).doesNotThrowAnyException();
        assertThatCode(() -> io.close(Duration.ofMillis(100))).doesNotThrowAnyException();
        c.awaitDisconnect(T);
        assertThat(io.clientCount()).isZero();
        assertThat(io.engine().sessionCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void closingTheServerFirstThenTheTransportIsQuiet(String transport) {
        SocketIoTestClient c = connect(transport);
        assertThatCode(() -> io.close(Duration.ofMillis(100))).doesNotThrowAnyException();
        assertThatCode(netty::close).doesNotThrowAnyException();
        c.awaitDisconnect(T);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aConnectionOpenedDuringShutdownIsClosed(String transport) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        io.on("slow", (s, a) -> {
            started.countDown();
            Thread.sleep(1500);
        });
        connect(transport).emit("slow");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        Thread closer = Thread.ofVirtual().start(() -> io.close(Duration.ofSeconds(3)));
        await().atMost(T).until(io::closing);
        assertThatThrownBy(() -> connect(transport)).isInstanceOf(Throwable.class);
        closer.join();
    }
}
