package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis going away and coming back, passwords, and clean shutdown. */
class RedisOutageTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    final List<RedisAdapter.Factory> factories = new ArrayList<>();

    SocketIoServer node(String uri) {
        var factory = RedisAdapter.factory(RedisAdapterOptions.builder(uri)
                .requestsTimeout(Duration.ofSeconds(2))
                .reconnectMaxDelay(Duration.ofMillis(500))
                .build());
        factories.add(factory);
        var server = SocketIoServer.create(
                SocketIoOptions.builder().adapterFactory(factory).build());
        closeables.add(server);
        return server;
    }

    FakeClient client(SocketIoServer server) {
        var client = FakeClient.connect(server, "/", JSON.createObjectNode());
        closeables.add(client::drop);
        return client;
    }

    static RedisAdapter adapter(SocketIoServer server) {
        return (RedisAdapter) server.sockets().adapter();
    }

    @Test
    void nodesServeLocalClientsDuringAnOutageAndClusterAgainAfterIt() {
        var redis = RedisServer.launch();
        closeables.add(redis);
        var a = node(redis.uri());
        var b = node(redis.uri());
        await().atMost(WAIT).until(() -> adapter(a).serverCount() == 2);
        var onA = client(a);
        var onB = client(b);

        redis.stop();
        await().atMost(WAIT).until(() -> !factories.get(0).connected());
        a.emit("during-outage");

        onA.awaitEvent("during-outage");
        await().atMost(WAIT).until(() -> adapter(a).droppedMessages() >= 1);
        assertThat(onB.events("during-outage")).isEmpty();
        assertThat(adapter(a).serverCount()).as("only this node is reachable").isEqualTo(1);
        assertThat(factories.get(0).droppedMessages()).isEqualTo(adapter(a).droppedMessages());

        long droppedDuringOutage = adapter(a).droppedMessages();
        redis.start();
        // Lettuce reconnects and subscribes again on its own: no node is restarted
        await().atMost(WAIT).until(() -> factories.get(0).connected());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            a.emit("after-outage");
            return !onB.events("after-outage").isEmpty();
        });
        assertThat(adapter(a).droppedMessages()).isGreaterThanOrEqualTo(droppedDuringOutage);
        assertThat(onB.events("during-outage"))
                .as("lost messages are not replayed late")
                .isEmpty();
    }

    @Test
    void aNamespaceCreatedDuringAnOutageJoinsTheClusterWhenRedisIsBack() {
        var redis = RedisServer.launch();
        closeables.add(redis);
        var a = node(redis.uri());
        var b = node(redis.uri());
        await().atMost(WAIT).until(() -> adapter(a).serverCount() == 2);

        redis.stop();
        var lateA = a.of("/late");
        b.of("/late");
        var onB = FakeClient.connect(b, "/late", JSON.createObjectNode());
        closeables.add(onB::drop);
        redis.start();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            lateA.emit("late-news");
            return !onB.events("late-news").isEmpty();
        });
    }

    @Test
    void aPasswordInTheUriIsUsed() {
        var redis = RedisServer.launch("s3cret");
        closeables.add(redis);
        assertThat(redis.uri()).contains(":s3cret@");
        var a = node(redis.uri());
        var b = node(redis.uri());
        await().atMost(WAIT).until(() -> adapter(a).serverCount() == 2);
        var onB = client(b);

        a.emit("with-password");

        onB.awaitEvent("with-password");
    }

    @Test
    void startingWhileRedisIsDownWaitsUntilItComes() throws Exception {
        var redis = RedisServer.launch();
        closeables.add(redis);
        redis.stop();
        var starting = new CompletableFuture<SocketIoServer>();
        Thread.ofVirtual().start(() -> {
            try {
                starting.complete(node(redis.uri()));
            } catch (RuntimeException e) {
                starting.completeExceptionally(e);
            }
        });

        // it neither throws nor gives up while Redis is away
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !starting.isDone());
        redis.start();
        var a = starting.get(10, TimeUnit.SECONDS);
        var b = node(redis.uri());
        await().atMost(WAIT).until(() -> adapter(a).serverCount() == 2);
        var onB = client(b);
        a.emit("after-the-wait");
        onB.awaitEvent("after-the-wait");
    }

    @Test
    void aWrongPasswordFailsAtOnce() {
        var redis = RedisServer.launch("right");
        closeables.add(redis);
        var uri = "redis://:wrong@127.0.0.1:" + redis.port();

        assertThatThrownBy(() -> RedisAdapter.factory(uri)).isInstanceOf(RedisConnectionException.class);
        assertThatThrownBy(() -> RedisEmitter.create(uri)).isInstanceOf(RedisConnectionException.class);
    }

    @Test
    void tlsWithASelfSignedCertificateWorks() {
        assumeTrue(RedisServer.opensslAvailable(), "openssl is needed to make a certificate");
        var redis = RedisServer.launchTls();
        closeables.add(redis);
        assertThat(redis.uri()).startsWith("rediss://");
        var options = RedisAdapterOptions.builder(redis.uri())
                .trustedCertificates(redis.certificate())
                .build();
        var a = SocketIoServer.create(SocketIoOptions.builder()
                .adapterFactory(RedisAdapter.factory(options))
                .build());
        closeables.add(a);
        var b = SocketIoServer.create(SocketIoOptions.builder()
                .adapterFactory(RedisAdapter.factory(options))
                .build());
        closeables.add(b);
        await().atMost(WAIT).until(() -> adapter(a).serverCount() == 2);
        var onB = client(b);

        a.emit("over-tls");
        onB.awaitEvent("over-tls");

        // the emitter takes Lettuce's URI options; without the certificate, peer verification is off
        try (var emitter = RedisEmitter.create(redis.uri() + "?verifyPeer=NONE")) {
            emitter.emit("from-tls-emitter");
        }
        onB.awaitEvent("from-tls-emitter");
    }

    @Test
    void tlsRefusesAnUntrustedCertificate() {
        assumeTrue(RedisServer.opensslAvailable(), "openssl is needed to make a certificate");
        var redis = RedisServer.launchTls();
        closeables.add(redis);

        assertThatThrownBy(() -> RedisAdapter.factory(redis.uri())).isInstanceOf(RedisConnectionException.class);
    }

    @Test
    void closingTheServersLeavesNoRedisThreadsBehind() throws Exception {
        var redis = RedisServer.launch();
        closeables.add(redis);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        var a = node(redis.uri());
        var b = node(redis.uri());
        a.of("/other");
        await().atMost(WAIT).until(() -> adapter(a).serverCount() == 2);
        client(a);

        a.close();
        b.close();

        await().atMost(WAIT).until(() -> newLettuceThreads(before).isEmpty());
    }

    static Set<String> newLettuceThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t))
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("lettuce") || n.contains("herald-cluster"))
                .collect(Collectors.toSet());
    }
}
