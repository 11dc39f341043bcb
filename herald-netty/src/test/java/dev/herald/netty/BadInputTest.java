package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.CloseReason;
import dev.herald.testing.EngineIoTestClient;
import dev.herald.testing.RawWebSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bad-input catalogue: each case checks the spec's answer, and that a well-behaved session on
 * the same server carries on unharmed.
 */
class BadInputTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String POLL = "/socket.io/?EIO=4&transport=polling";

    TestServer server;
    EngineIoTestClient bystanderPolling;
    EngineIoTestClient bystanderWs;

    @BeforeEach
    void start() {
        server = TestServer.start(o -> o.maxHttpBufferSize(1000), s -> s.corsAllowedOrigins("https://allowed.example"));
        bystanderPolling = EngineIoTestClient.polling(server.endpoint());
        bystanderWs = EngineIoTestClient.websocket(server.endpoint());
    }

    @AfterEach
    void stop() {
        // The bystanders were not harmed by whatever the test did.
        server.checkBystandersAndClose(WAIT, bystanderPolling, bystanderWs);
    }

    void assertClosedWith(String sid, CloseReason reason) {
        await().atMost(WAIT).until(() -> server.closeReasons.containsKey(sid));
        assertThat(server.closeReasons.get(sid)).isEqualTo(reason);
    }

    static void assertEngineError(HttpResponse<String> res, int status, int code, String message) {
        assertThat(res.statusCode()).isEqualTo(status);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(res.body()).isEqualTo("{\"code\":" + code + ",\"message\":\"" + message + "\"}");
    }

    @Test
    void unknownSidIsAnswered400SessionIdUnknown() throws Exception {
        assertEngineError(server.get(POLL + "&sid=nope"), 400, 1, "Session ID unknown");
        assertEngineError(server.send("POST", POLL + "&sid=nope", "4x"), 400, 1, "Session ID unknown");
        try (RawWebSocket ws =
                new RawWebSocket(server.server.port(), "/socket.io/?EIO=4&transport=websocket&sid=nope")) {
            assertThat(ws.status).isEqualTo(400);
        }
    }

    @Test
    void missingOrInvalidEioIsAnswered400UnsupportedProtocolVersion() throws Exception {
        assertEngineError(server.get("/socket.io/?transport=polling"), 400, 5, "Unsupported protocol version");
        assertEngineError(server.get("/socket.io/?EIO=abc&transport=polling"), 400, 5, "Unsupported protocol version");
        assertEngineError(server.get("/socket.io/?EIO=3&transport=polling"), 400, 5, "Unsupported protocol version");
        try (RawWebSocket ws = new RawWebSocket(server.server.port(), "/socket.io/?EIO=abc&transport=websocket")) {
            assertThat(ws.status).isEqualTo(400);
        }
    }

    @Test
    void missingOrUnknownTransportIsAnswered400TransportUnknown() throws Exception {
        assertEngineError(server.get("/socket.io/?EIO=4"), 400, 0, "Transport unknown");
        assertEngineError(server.get("/socket.io/?EIO=4&transport=abc"), 400, 0, "Transport unknown");
        try (RawWebSocket ws = new RawWebSocket(server.server.port(), "/socket.io/?EIO=4&transport=abc")) {
            assertThat(ws.status).isEqualTo(400);
        }
    }

    @Test
    void aWebSocketUpgradeThatIsNotAGetOrHasNoKeyIsRefusedWithoutHarm() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.server.port())) {
            raw.getOutputStream()
                    .write(("POST /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String head = new String(raw.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 400");
        }
        try (Socket raw = new Socket("127.0.0.1", server.server.port())) {
            raw.setSoTimeout(5000);
            raw.getOutputStream()
                    .write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            // no Sec-WebSocket-Key: the handshake fails and only this connection is dropped
            byte[] answer = raw.getInputStream().readAllBytes();
            assertThat(new String(answer, StandardCharsets.US_ASCII)).doesNotStartWith("HTTP/1.1 101");
        }
    }

    @Test
    void handshakeByPostIsAnswered400BadHandshakeMethod() throws Exception {
        assertEngineError(server.send("POST", POLL, "4x"), 400, 2, "Bad handshake method");
        assertEngineError(server.send("PUT", POLL, "4x"), 400, 2, "Bad handshake method");
    }

    @Test
    void malformedPacketOnPollingIsAnswered400AndClosesTheSession() throws Exception {
        EngineIoTestClient c =
                EngineIoTestClient.builder(server.endpoint()).autoPoll(false).connect();
        assertThat(c.post("abc")).isEqualTo(400);
        assertThat(server.get(POLL + "&sid=" + c.sid()).statusCode()).isEqualTo(400);
        assertClosedWith(c.sid(), CloseReason.PARSE_ERROR);
        c.abort();
    }

    @Test
    void emptyAndBadBase64PayloadsAreMalformedToo() throws Exception {
        for (String body : new String[] {"", "4a\u001e", "b!!!notbase64"}) {
            EngineIoTestClient c = EngineIoTestClient.builder(server.endpoint())
                    .autoPoll(false)
                    .connect();
            assertThat(c.post(body)).as("body %s", body).isEqualTo(400);
            assertClosedWith(c.sid(), CloseReason.PARSE_ERROR);
            c.abort();
        }
    }

    @Test
    void malformedPacketOnWebSocketClosesTheSession() throws Exception {
        EngineIoTestClient c = EngineIoTestClient.websocket(server.endpoint());
        c.sendFrame("abc");
        c.awaitClosed(WAIT);
        await().atMost(WAIT).until(() -> server.closeReasons.containsKey(c.sid()));
        assertClosedWith(c.sid(), CloseReason.PARSE_ERROR);
        c.abort();
    }

    @Test
    void emptyTextFrameClosesTheSession() throws Exception {
        EngineIoTestClient c = EngineIoTestClient.websocket(server.endpoint());
        c.sendFrame("");
        c.awaitClosed(WAIT);
        await().atMost(WAIT).until(() -> server.closeReasons.containsKey(c.sid()));
        assertClosedWith(c.sid(), CloseReason.PARSE_ERROR);
        c.abort();
    }

    @Test
    void nonUtf8TextFrameClosesTheConnection() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(server.server.port(), "/socket.io/?EIO=4&transport=websocket")) {
            assertThat(ws.status).isEqualTo(101);
            String open = ws.readFrame().text();
            String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\"sid\":\"") + 27);
            ws.sendFrame(1, new byte[] {'4', (byte) 0xC3, (byte) 0x28, (byte) 0xFF});
            assertThat(ws.readUntilClosed()).isEqualTo(1007);
            await().atMost(WAIT).until(() -> server.closeReasons.containsKey(sid));
            assertThat(server.closeReasons.get(sid)).isEqualTo(CloseReason.PARSE_ERROR);
        }
    }

    @Test
    void oversizedPostIsAnswered413AndClosesTheSession() throws Exception {
        EngineIoTestClient c =
                EngineIoTestClient.builder(server.endpoint()).autoPoll(false).connect();
        assertThat(c.post("4" + "x".repeat(2000))).isEqualTo(413);
        await().atMost(WAIT).until(() -> server.closeReasons.containsKey(c.sid()));
        assertThat(server.closeReasons.get(c.sid())).isEqualTo(CloseReason.MESSAGE_TOO_LARGE);
        assertThat(server.get(POLL + "&sid=" + c.sid()).statusCode()).isEqualTo(400);
        c.abort();
    }

    @Test
    void oversizedWebSocketFrameClosesTheSession() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(server.server.port(), "/socket.io/?EIO=4&transport=websocket")) {
            String open = ws.readFrame().text();
            String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\"sid\":\"") + 27);
            ws.sendFrame(1, ("4" + "x".repeat(2000)).getBytes(StandardCharsets.UTF_8));
            assertThat(ws.readUntilClosed()).isIn(1009, -1);
            await().atMost(WAIT).until(() -> server.closeReasons.containsKey(sid));
            assertThat(server.closeReasons.get(sid)).isEqualTo(CloseReason.MESSAGE_TOO_LARGE);
        }
    }

    @Test
    void oversizedFragmentedWebSocketMessageClosesTheSession() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(server.server.port(), "/socket.io/?EIO=4&transport=websocket")) {
            String open = ws.readFrame().text();
            String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\"sid\":\"") + 27);
            // Each fragment is under the limit; together they are not.
            ws.sendRaw(0x01, false, ("4" + "x".repeat(700)).getBytes(StandardCharsets.UTF_8));
            ws.sendRaw(0x00, true, "y".repeat(700).getBytes(StandardCharsets.UTF_8));
            assertThat(ws.readUntilClosed()).isIn(1009, -1);
            await().atMost(WAIT).until(() -> server.closeReasons.containsKey(sid));
            assertThat(server.closeReasons.get(sid)).isEqualTo(CloseReason.MESSAGE_TOO_LARGE);
        }
    }

    @Test
    void twoConcurrentPollsAnswerTheFirstWithCloseAndRefuseTheSecond() throws Exception {
        // Which of the two the server sees first is the network's choice; the order itself is
        // pinned in herald-engineio's EngineSessionTest. Here: one close, one 400, session gone.
        EngineIoTestClient c =
                EngineIoTestClient.builder(server.endpoint()).autoPoll(false).connect();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (String t : List.of("a", "b")) {
            polls.add(server.http.sendAsync(
                    HttpRequest.newBuilder(server.uri(POLL + "&sid=" + c.sid() + "&t=" + t))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        HttpResponse<String> a = polls.get(0).get(5, TimeUnit.SECONDS);
        HttpResponse<String> b = polls.get(1).get(5, TimeUnit.SECONDS);
        HttpResponse<String> parked = a.statusCode() == 200 ? a : b;
        HttpResponse<String> refused = parked == a ? b : a;
        assertThat(parked.statusCode()).isEqualTo(200);
        assertThat(parked.body()).isEqualTo("1");
        assertEngineError(refused, 400, 3, "Bad request");
        assertThat(server.get(POLL + "&sid=" + c.sid()).statusCode()).isEqualTo(400);
        c.abort();
    }

    @Test
    void postAfterCloseIsAnswered400() throws Exception {
        EngineIoTestClient c =
                EngineIoTestClient.builder(server.endpoint()).autoPoll(false).connect();
        assertThat(c.post("1")).isEqualTo(200);
        assertThat(c.post("4late")).isEqualTo(400);
        assertClosedWith(c.sid(), CloseReason.TRANSPORT_CLOSE);
        c.abort();
    }

    @Test
    void requestsFromAForeignOriginAreRefusedWhenCorsIsOff() throws Exception {
        try (TestServer plain = TestServer.start()) {
            assertEngineError(plain.get(POLL, "Origin", "https://evil.example"), 403, 4, "Forbidden");
            try (RawWebSocket ws = new RawWebSocket(
                    plain.server.port(), "/socket.io/?EIO=4&transport=websocket", "Origin", "https://evil.example")) {
                assertThat(ws.status).isEqualTo(403);
            }
            // same origin and no origin at all are fine
            String self = "http://127.0.0.1:" + plain.server.port();
            assertThat(plain.get(POLL, "Origin", self).statusCode()).isEqualTo(200);
            try (RawWebSocket ws =
                    new RawWebSocket(plain.server.port(), "/socket.io/?EIO=4&transport=websocket", "Origin", self)) {
                assertThat(ws.status).isEqualTo(101);
            }
        }
    }

    @Test
    void corsPreflightIsAnsweredForAllowedOriginsOnly() throws Exception {
        HttpResponse<String> ok = server.send(
                "OPTIONS",
                POLL,
                null,
                "Origin",
                "https://allowed.example",
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "content-type");
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.headers().firstValue("access-control-allow-origin")).hasValue("https://allowed.example");
        assertThat(ok.headers().firstValue("access-control-allow-methods").orElseThrow())
                .contains("POST");
        assertThat(ok.headers().firstValue("access-control-allow-headers")).hasValue("content-type");
        assertThat(ok.headers().firstValue("access-control-allow-credentials")).isEmpty();

        HttpResponse<String> handshake = server.get(POLL, "Origin", "https://allowed.example");
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.headers().firstValue("access-control-allow-origin"))
                .hasValue("https://allowed.example");

        HttpResponse<String> refused = server.send(
                "OPTIONS", POLL, null, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("access-control-allow-origin")).isEmpty();
        try (RawWebSocket ws = new RawWebSocket(
                server.server.port(), "/socket.io/?EIO=4&transport=websocket", "Origin", "https://evil.example")) {
            assertThat(ws.status).isEqualTo(403);
        }
    }

    @Test
    void credentialsHeaderIsSentOnlyWhenConfigured() throws Exception {
        try (TestServer creds = TestServer.start(
                o -> o, s -> s.corsAllowedOrigins("https://allowed.example").corsAllowCredentials(true))) {
            HttpResponse<String> res = creds.get(POLL, "Origin", "https://allowed.example");
            assertThat(res.headers().firstValue("access-control-allow-credentials"))
                    .hasValue("true");
        }
    }
}
