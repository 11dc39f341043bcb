package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.CloseReason;
import dev.herald.testing.EngineIoTestClient;
import dev.herald.testing.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The connection-level limits of {@link NettyServer} and the per-address session limit: each
 * violation refuses or closes only that connection, and a well-behaved polling and WebSocket
 * client on the same server carry on.
 */
class LimitsTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String POLL = "/socket.io/?EIO=4&transport=polling";
    static final String WS = "/socket.io/?EIO=4&transport=websocket";

    TestServer server;
    EngineIoTestClient bystanderPolling;
    EngineIoTestClient bystanderWs;

    @BeforeEach
    void start() {
        server = TestServer.start(
                o -> o.maxSessionsPerAddress(3),
                s -> s.maxInitialLineLength(2048).maxHeaderSize(4096).headersTimeout(Duration.ofMillis(300)));
        bystanderPolling = EngineIoTestClient.polling(server.endpoint());
        bystanderWs = EngineIoTestClient.websocket(server.endpoint());
    }

    @AfterEach
    void stop() {
        // The bystanders were not harmed by whatever the test did.
        server.checkBystandersAndClose(WAIT, bystanderPolling, bystanderWs);
    }

    /** What a raw connection got back: the whole response text, and whether the server closed it. */
    record Answer(String text, boolean closed, long millis) {
        int status() {
            String[] first = text.split(" ", 3);
            return first.length > 1 ? Integer.parseInt(first[1]) : -1;
        }
    }

    /** Sends these bytes (maybe an incomplete request) and reads until the server closes. */
    Answer raw(String request) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean closed;
            try {
                in.transferTo(out);
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (SocketException e) {
                closed = true;
            }
            return new Answer(
                    out.toString(StandardCharsets.US_ASCII),
                    closed,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
    }

    static String upgradeHeaders() {
        return "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
    }

    @Test
    void aTooLongUrlIsAnswered414AndTheConnectionClosedOnPolling() throws Exception {
        Answer a = raw("GET " + POLL + "&pad=" + "a".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(a.status()).isEqualTo(414);
        assertThat(a.closed()).isTrue();
    }

    @Test
    void aTooLongUrlIsAnswered414AndTheConnectionClosedOnTheWebSocketUpgrade() throws Exception {
        Answer a =
                raw("GET " + WS + "&pad=" + "a".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n" + upgradeHeaders() + "\r\n");
        assertThat(a.status()).isEqualTo(414);
        assertThat(a.closed()).isTrue();
    }

    @Test
    void tooManyHeaderBytesAreAnswered431AndTheConnectionClosedOnPolling() throws Exception {
        Answer a = raw("GET " + POLL + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(5000) + "\r\n\r\n");
        assertThat(a.status()).isEqualTo(431);
        assertThat(a.closed()).isTrue();
    }

    @Test
    void tooManyHeaderBytesAreAnswered431AndTheConnectionClosedOnTheWebSocketUpgrade() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            many.append("X-H").append(i).append(": ").append("c".repeat(20)).append("\r\n");
        }
        Answer a = raw("GET " + WS + " HTTP/1.1\r\nHost: x\r\n" + upgradeHeaders() + many + "\r\n");
        assertThat(a.status()).isEqualTo(431);
        assertThat(a.closed()).isTrue();
    }

    // Real time: the 408 and the close as a client sees them on the wire. The timer's logic (not
    // before the timeout, never once a head is in) is HeadersTimeoutTest's, in virtual time.
    @Test
    @Tag("timing")
    void aConnectionThatNeverSendsARequestIsClosedAfterHeadersTimeout() throws Exception {
        Answer a = raw("");
        assertThat(a.closed()).isTrue();
        assertThat(a.status()).isEqualTo(408);
        assertThat(a.millis()).isBetween(250L, 4000L);
    }

    @Test
    void aSlowlorisRequestHeadIsClosedAfterHeadersTimeout() throws Exception {
        Answer a = raw("GET " + WS + " HTTP/1.1\r\nHost: x\r\n" + upgradeHeaders() + "X-Slow: dri");
        assertThat(a.closed()).isTrue();
        assertThat(a.status()).isEqualTo(408);
    }

    @Test
    void anOversizedChunkedPollingBodyIsAnswered413AndClosesTheSession() throws Exception {
        // No Content-Length to check up front: the limit must hold while the chunks add up.
        EngineIoTestClient victim = EngineIoTestClient.builder(server.endpoint())
                .transport("polling")
                .autoPoll(false)
                .connect();
        try {
            String chunk = "4" + "x".repeat(65_535);
            StringBuilder req = new StringBuilder("POST " + POLL + "&sid=" + victim.sid() + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 20; i++) {
                req.append(Integer.toHexString(chunk.length()))
                        .append("\r\n")
                        .append(chunk)
                        .append("\r\n");
            }
            req.append("0\r\n\r\n");
            Answer a = raw(req.toString());
            assertThat(a.status()).isEqualTo(413);
            Awaitility.await().atMost(WAIT).until(() -> server.closeReasons.containsKey(victim.sid()));
            assertThat(server.closeReasons.get(victim.sid())).isEqualTo(CloseReason.MESSAGE_TOO_LARGE);
        } finally {
            victim.abort();
        }
    }

    @Test
    void handshakesPastMaxSessionsPerAddressAreRefused403OverBothTransports() throws Exception {
        // The two bystanders hold two of the three sessions 127.0.0.1 may have.
        EngineIoTestClient third = EngineIoTestClient.polling(server.endpoint());
        try {
            BadInputTest.assertEngineError(server.get(POLL), 403, 4, "Forbidden");
            try (RawWebSocket ws = new RawWebSocket(server.server.port(), WS)) {
                assertThat(ws.status).isEqualTo(403);
            }
        } finally {
            third.close();
        }
        // Once the third session is gone its slot is free again.
        Awaitility.await().atMost(WAIT).until(() -> server.engine.sessionCount() == 2);
        EngineIoTestClient again = EngineIoTestClient.websocket(server.endpoint());
        again.sendMessage("in");
        assertThat(again.nextMessage(WAIT).text()).isEqualTo("in");
        again.close();
    }
}
