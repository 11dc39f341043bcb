package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.netty.NettyServer;
import dev.herald.testing.SocketIoTestClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * No payload and no auth token reaches the log at INFO or above, errors included.
 *
 * <p>The capture: slf4j-simple (the test binding) prints INFO and above, and looks up
 * {@code System.err} at every line, so replacing it for the test's duration captures exactly the
 * INFO/WARN/ERROR lines, stack traces included. The WARN for the throwing handler must be in the
 * capture, so the check cannot pass on an empty log.
 */
class LoggingHygieneTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private SocketIoServer io;
    private NettyServer netty;

    @BeforeEach
    void start() {
        assertThat(LoggerFactory.getLogger(SocketIoServer.class).isDebugEnabled())
                .as("the capture relies on DEBUG being off: every captured line is INFO or above")
                .isFalse();
        originalErr = System.err;
        PrintStream tee = new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        synchronized (captured) {
                            captured.write(b);
                        }
                        originalErr.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        synchronized (captured) {
                            captured.write(b, off, len);
                        }
                        originalErr.write(b, off, len);
                    }
                },
                true,
                StandardCharsets.UTF_8);
        System.setErr(tee);
        io = SocketIoServer.create();
        io.on("explode", (s, a) -> {
            throw new IllegalStateException("handler failure");
        });
        io.on("convert", (s, a) -> a.get(0, Integer.class));
        io.of("/refusing").use((s, next) -> {
            throw new ConnectionRefusedException("not authorized", Map.of("reason", "bad token"));
        });
        io.of("/failing").use((s, next) -> {
            throw new IllegalStateException("middleware failure");
        });
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
        try {
            io.close();
            netty.close();
        } finally {
            System.setErr(originalErr);
        }
    }

    private String log() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    private SocketIoTestClient.Builder client(String transport) {
        return SocketIoTestClient.builder(netty.port()).transport(transport);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void secretsInEventsAuthAndMalformedPacketsNeverReachInfoOrAbove(String transport) {
        String eventSecret = "EVENT-SECRET-" + transport;
        String authSecret = "AUTH-SECRET-" + transport;
        String malformedSecret = "MALFORMED-SECRET-" + transport;
        String conversionSecret = "CONVERSION-SECRET-" + transport;

        String sid;
        try (SocketIoTestClient c = client(transport).connect()) {
            sid = c.sid();
            c.emit("explode", Map.of("token", eventSecret), eventSecret);
            c.emit("convert", conversionSecret);
            await().atMost(T).until(() -> log().contains("event=convert"));
        }
        client(transport)
                .namespace("/refusing")
                .auth(Map.of("token", authSecret))
                .connectExpectingError();
        client(transport)
                .namespace("/failing")
                .auth(Map.of("token", authSecret))
                .connectExpectingError();
        try (SocketIoTestClient c = client(transport).connect()) {
            c.sendRaw("2{\"token\":\"" + malformedSecret + "\"}");
            c.awaitDisconnect(T);
        }
        try (SocketIoTestClient c = client(transport).connect()) {
            c.sendRaw("2/not-joined,[\"x\",\"" + malformedSecret + "\"]");
            c.awaitDisconnect(T);
        }
        try (SocketIoTestClient c = client(transport).connect()) {
            c.sendRaw("2[\"disconnect\",\"" + malformedSecret + "\"]");
            c.awaitDisconnect(T);
        }
        await().atMost(T).until(() -> log().contains("nsp=/failing"));

        String out = log();
        List<String> warn = Arrays.stream(out.split("\n"))
                .filter(l -> l.contains("WARN") && l.contains("handler failed") && l.contains("event=explode"))
                .toList();
        assertThat(warn)
                .as("the WARN for the throwing handler, naming sid, namespace and event")
                .hasSize(1);
        assertThat(warn.get(0)).contains("sid=" + sid).contains("nsp=/ ").contains("event=explode");
        assertThat(out).doesNotContain(eventSecret, authSecret, malformedSecret, conversionSecret);
    }
}
