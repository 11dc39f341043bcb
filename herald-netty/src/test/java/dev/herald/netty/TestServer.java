package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.Message;
import dev.herald.testing.EngineIoTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/** A NettyServer on 127.0.0.1:0 with an echo engine that records opens and closes. */
final class TestServer implements AutoCloseable {

    final EngineIoServer engine;
    final NettyServer server;
    final BlockingQueue<EngineSocket> opened = new LinkedBlockingQueue<>();
    final Map<String, CloseReason> closeReasons = new ConcurrentHashMap<>();
    final Map<String, Long> closeNanos = new ConcurrentHashMap<>();
    final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestServer(EngineIoOptions options, UnaryOperator<NettyServer.Builder> customize) {
        engine = EngineIoServer.create(options, socket -> {
            opened.add(socket);
            return new EngineSocketListener() {
                @Override
                public void onMessage(EngineSocket s, Message message) {
                    s.send(message);
                }

                @Override
                public void onClose(EngineSocket s, CloseReason reason, String description) {
                    closeNanos.put(s.id(), System.nanoTime());
                    closeReasons.put(s.id(), reason);
                }
            };
        });
        server = customize
                .apply(NettyServer.builder().host("127.0.0.1").port(0).engine(engine))
                .build()
                .start();
    }

    static TestServer start() {
        return start(b -> b);
    }

    static TestServer start(UnaryOperator<EngineIoOptions.Builder> options) {
        return start(options, b -> b);
    }

    static TestServer start(UnaryOperator<EngineIoOptions.Builder> options, UnaryOperator<NettyServer.Builder> server) {
        return new TestServer(options.apply(EngineIoOptions.builder()).build(), server);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port() + "/socket.io/");
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    /** The server side of the session most recently opened. */
    EngineSocket nextOpened() throws InterruptedException {
        EngineSocket s = opened.poll(5, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no session opened");
        }
        return s;
    }

    /** Waits for the server side of a session to report its close, and returns the reason. */
    /**
     * How every abuse test ends: each bystander still echoes and was never closed. Then the
     * bystanders and the server close, whatever the check found.
     */
    void checkBystandersAndClose(Duration wait, EngineIoTestClient... bystanders) {
        try {
            for (EngineIoTestClient c : bystanders) {
                c.sendMessage("still here");
                assertThat(c.nextMessage(wait).text()).isEqualTo("still here");
                assertThat(closeReasons).doesNotContainKey(c.sid());
            }
        } finally {
            for (EngineIoTestClient c : bystanders) {
                c.close();
            }
            close();
        }
    }

    CloseReason awaitClose(String sid) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closeReasons.containsKey(sid));
        return closeReasons.get(sid);
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        http.shutdownNow();
    }
}
