package dev.herald.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.EngineIoOptions;
import dev.herald.netty.NettyServer;
import dev.herald.redis.RedisAdapter;
import dev.herald.redis.RedisAdapterOptions;
import dev.herald.redis.RedisServer;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.testing.EngineIoTestClient;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every meter moves as its thing happens, with real clients on real sockets. */
class HeraldMetricsTest {

    private static final Duration T = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private SocketIoServer io;
    private NettyServer netty;

    private void start(UnaryOperator<EngineIoOptions.Builder> engine) {
        start(engine, o -> o);
    }

    private void start(UnaryOperator<EngineIoOptions.Builder> engine, UnaryOperator<SocketIoOptions.Builder> socketIo) {
        io = SocketIoServer.create(socketIo.apply(SocketIoOptions.builder())
                .engine(engine.apply(EngineIoOptions.builder()).build())
                .build());
        HeraldMetrics.bind(io, registry);
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

    private double value(String name, String... tags) {
        Optional<Meter> meter =
                Optional.ofNullable(registry.find(name).tags(Tags.of(tags)).meter());
        return meter.map(m -> m.measure().iterator().next().getValue()).orElse(0.0);
    }

    private long timerCount(String name, String... tags) {
        return Optional.ofNullable(registry.find(name).tags(Tags.of(tags)).timer())
                .map(t -> t.count())
                .orElse(0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void socketsSessionsEventsAcksAndDisconnectionsAreCounted(String transport) throws Exception {
        start(o -> o);
        io.of("/chat").onCall("echo", (socket, args) -> args.get(0, String.class));
        SocketIoTestClient c = SocketIoTestClient.builder(netty.port())
                .transport(transport)
                .namespace("/chat")
                .connect();

        await().atMost(T).until(() -> value("socketio.sockets.connected", "namespace", "/chat") == 1);
        assertThat(value("socketio.connections", "namespace", "/chat")).isEqualTo(1);
        assertThat(value("engineio.sessions", "transport", transport)).isEqualTo(1);
        assertThat(value("socketio.sockets.connected", "namespace", "/")).isZero();
        assertThat(registry.scrape()).contains("socketio_sockets_connected{namespace=\"/chat\"} 1");

        assertThat(c.call("echo", T, "hi").get(0).asText()).isEqualTo("hi");
        assertThat(value("socketio.events.received", "namespace", "/chat")).isEqualTo(1);
        await().atMost(T).until(() -> timerCount("socketio.handler.duration", "namespace", "/chat") == 1);

        io.of("/chat").emit("news", "one");
        c.nextEvent("news", T);
        assertThat(value("socketio.events.sent", "namespace", "/chat")).isEqualTo(1);

        var answered = io.of("/chat").timeout(T).emitWithAck("question", "ready?");
        ReceivedEvent question = c.nextEvent("question", T);
        c.ack(question, "yes");
        answered.get();
        assertThat(timerCount("socketio.ack.latency", "namespace", "/chat")).isEqualTo(1);
        assertThat(value("socketio.events.sent", "namespace", "/chat")).isEqualTo(2);

        c.disconnect();
        await().atMost(T)
                .until(() ->
                        value("socketio.disconnections", "namespace", "/chat", "reason", "client namespace disconnect")
                                == 1);
        assertThat(value("socketio.sockets.connected", "namespace", "/chat")).isZero();
        c.close();
        await().atMost(T).until(() -> value("engineio.sessions", "transport", transport) == 0);
    }

    @Test
    void clusterMessagesDroppedWhileRedisIsAwayAreCounted() {
        RedisServer redis = RedisServer.launch();
        RedisAdapter.Factory factory = RedisAdapter.factory(RedisAdapterOptions.builder(redis.uri())
                .reconnectMaxDelay(Duration.ofMillis(500))
                .build());
        try {
            io = SocketIoServer.create(
                    SocketIoOptions.builder().adapterFactory(factory).build());
            HeraldMetrics.bind(io, registry);
            netty = NettyServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .engine(io.engine())
                    .serveClient(false)
                    .build()
                    .start();
            assertThat(value("socketio.adapter.messages.dropped", "namespace", "/"))
                    .isZero();
            redis.stop();
            await().atMost(T).until(() -> !factory.connected());
            io.emit("during-outage");
            await().atMost(T).until(() -> value("socketio.adapter.messages.dropped", "namespace", "/") >= 1);
        } finally {
            io.close();
            factory.close();
            redis.close();
        }
    }

    @Test
    void aMessageTooLargeIsALimitViolation() {
        start(o -> o.maxHttpBufferSize(1000));
        SocketIoTestClient c =
                SocketIoTestClient.builder(netty.port()).transport("websocket").connect();
        c.emit("big", "x".repeat(5000));
        await().atMost(T)
                .until(() -> value("socketio.limit.violations", "namespace", "/", "reason", "message too large") == 1);
        assertThat(value("socketio.disconnections", "namespace", "/", "reason", "transport error"))
                .isEqualTo(1);
        assertThat(value("socketio.slow.consumer.closes", "namespace", "/")).isZero();
        c.close();
    }

    @Test
    void aClientFloodingASlowHandlerPastMaxPendingEventsIsALimitViolation() throws Exception {
        start(o -> o, o -> o.maxPendingEvents(3));
        CountDownLatch release = new CountDownLatch(1);
        io.on("slow", (socket, args) -> release.await());
        SocketIoTestClient c =
                SocketIoTestClient.builder(netty.port()).transport("websocket").connect();
        for (int i = 0; i < 10; i++) {
            c.emit("slow");
        }
        await().atMost(T)
                .until(() -> value("socketio.limit.violations", "namespace", "/", "reason", "max pending events") == 1);
        release.countDown();
        await().atMost(T)
                .until(() -> value("socketio.disconnections", "namespace", "/", "reason", "forced close") == 1);
        c.close();
    }

    @Test
    void aHandshakeOverMaxSessionsPerAddressAndAnUnknownSidAreCountedAsConnectionErrors() throws Exception {
        start(o -> o.maxSessionsPerAddress(1));
        // No poll loop: a poll still on its way when the session closes would be one more unknown sid.
        try (EngineIoTestClient first = EngineIoTestClient.builder(
                        URI.create("http://127.0.0.1:" + netty.port() + "/socket.io/"))
                .transport("polling")
                .autoPoll(false)
                .connect()) {
            assertThat(value("engineio.connection.errors", "code", "4", "name", "TOO_MANY_SESSIONS"))
                    .isZero();
            assertThatThrownBy(() -> EngineIoTestClient.builder(
                                    URI.create("http://127.0.0.1:" + netty.port() + "/socket.io/"))
                            .connect())
                    .hasMessageContaining("403");
            assertThat(value("engineio.connection.errors", "code", "4", "name", "TOO_MANY_SESSIONS"))
                    .isEqualTo(1);
        }
        // A poll for a session that does not exist, as after a restart.
        double unknownBefore = value("engineio.connection.errors", "code", "1", "name", "none");
        HttpResponse<String> stale = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + netty.port()
                                        + "/socket.io/?EIO=4&transport=polling&sid=gone"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(value("engineio.connection.errors", "code", "1", "name", "none"))
                .isEqualTo(unknownBefore + 1);
    }

    @Test
    void aClientThatStopsReadingLosesVolatilePacketsThenIsClosedAsASlowConsumer() {
        start(o -> o.writeBufferWaterMark(16 * 1024, 64 * 1024)
                .slowConsumerMaxBuffer(512 * 1024)
                .slowConsumerTimeout(Duration.ofSeconds(30)));
        // A polling client that joins "/" and never polls again: everything sent to it stays buffered.
        EngineIoTestClient stalled = EngineIoTestClient.builder(
                        URI.create("http://127.0.0.1:" + netty.port() + "/socket.io/"))
                .transport("polling")
                .autoPoll(false)
                .connect();
        stalled.sendMessage("0");
        await().atMost(T).until(() -> value("socketio.sockets.connected", "namespace", "/") == 1);
        String pad = "x".repeat(4000);
        for (int i = 0; i < 20; i++) {
            io.emit("pad", pad);
        }
        await().atMost(T).until(() -> io.engine().bufferedBytes() > 64 * 1024);
        for (int i = 0; i < 10; i++) {
            io.asVolatile().emit("tick", i);
        }
        // Dropped on the session's event loop, a moment after the emits returned.
        await().atMost(T).until(() -> value("engineio.volatile.dropped") == 10);
        for (int i = 0; i < 200 && value("socketio.slow.consumer.closes", "namespace", "/") == 0; i++) {
            io.emit("pad", pad);
        }
        await().atMost(T).until(() -> value("socketio.slow.consumer.closes", "namespace", "/") == 1);
        assertThat(value("socketio.disconnections", "namespace", "/", "reason", "transport error"))
                .isEqualTo(1);
        stalled.abort();
    }
}
