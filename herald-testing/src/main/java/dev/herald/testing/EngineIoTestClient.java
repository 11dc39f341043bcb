package dev.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.engineio.Message;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A raw Engine.IO v4 client for tests: it speaks the wire protocol and records every packet it
 * receives, in order, so tests can assert exactly what arrived and that nothing else did.
 *
 * <pre>{@code
 * try (EngineIoTestClient c = EngineIoTestClient.builder(URI.create("http://127.0.0.1:" + port + "/socket.io/"))
 *         .transport("polling").connect()) {
 *     c.sendMessage("hello");
 *     assertThat(c.nextMessage(Duration.ofSeconds(2)).text()).isEqualTo("hello");
 *     c.expectNoMessage(Duration.ofMillis(200));
 * }
 * }</pre>
 *
 * <p>Over polling, a background virtual thread keeps one GET outstanding (as real clients do),
 * answers pings with pongs unless {@link Builder#autoPong(boolean)} is off, and records the
 * packets. Over WebSocket the frames are recorded as they arrive. Uses only the JDK HTTP client.
 *
 * <p>The transport legs live in {@link PollingLeg} and {@link WebSocketLeg}, what arrived in
 * {@link Recorder}.
 *
 * <p>Threading: the send methods and the blocking accessors may be called from any thread.
 */
public final class EngineIoTestClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoint endpoint;
    private final boolean autoPong;
    private final Recorder recorder = new Recorder();
    private final PollingLeg polling;

    // Written by the thread that connects or upgrades, read by every thread.
    private volatile String sid;
    private volatile JsonNode handshake;
    private volatile String transport;
    private volatile WebSocket webSocket;
    private volatile boolean closing;

    private EngineIoTestClient(Builder b) {
        this.endpoint = new Endpoint(b.endpoint, b.headers, b.query, b.sslContext);
        this.autoPong = b.autoPong;
        this.polling = new PollingLeg(this, endpoint, recorder, autoPong);
    }

    /**
     * A builder for a client of the Engine.IO endpoint, such as
     * {@code http://127.0.0.1:3000/socket.io/}.
     */
    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    /** Connects over polling with the defaults. */
    public static EngineIoTestClient polling(URI endpoint) {
        return builder(endpoint).transport("polling").connect();
    }

    /** Connects over WebSocket with the defaults. */
    public static EngineIoTestClient websocket(URI endpoint) {
        return builder(endpoint).transport("websocket").connect();
    }

    // ---- handshake ----

    private void connectPolling(boolean startPolling) {
        acceptOpen(polling.handshake());
        transport = "polling";
        if (startPolling) {
            polling.start(sid);
        }
    }

    private void connectWebSocket() {
        CompletableFuture<String> open = new CompletableFuture<>();
        WebSocketLeg leg = WebSocketLeg.awaitingFirst(recorder, autoPong, open);
        leg.carrySession();
        webSocket = WebSocketLeg.open(endpoint, null, leg);
        String first = Endpoint.await(open, Duration.ofSeconds(5), "open packet over WebSocket");
        if (!first.startsWith("0")) {
            throw new AssertionError("expected the open packet, got " + first);
        }
        acceptOpen(first.substring(1));
        transport = "websocket";
    }

    private void acceptOpen(String json) {
        try {
            handshake = JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("open packet is not JSON: " + json, e);
        }
        sid = handshake.path("sid").asText();
    }

    // ---- accessors ----

    /** The session id. */
    public String sid() {
        return sid;
    }

    /** The handshake JSON of the open packet. */
    public JsonNode handshake() {
        return handshake;
    }

    /** The current transport: {@code "polling"} or {@code "websocket"}. */
    public String transport() {
        return transport;
    }

    /** The endpoint with this session's sid and the given transport, for raw requests in tests. */
    public URI sessionUri(String transportName) {
        return URI.create(endpoint.uri + "?EIO=4&transport=" + transportName + "&sid=" + sid);
    }

    // ---- sending ----

    /** Sends a message packet ({@code 4} + text). */
    public void sendMessage(String text) {
        send(PacketCodec.encodeText(Packet.message(Message.text(text))));
    }

    /** Sends a binary message: a binary frame over WebSocket, {@code b} + base64 over polling. */
    public void sendBinary(byte[] data) {
        if ("websocket".equals(transport)) {
            webSocket.sendBinary(ByteBuffer.wrap(data), true).join();
        } else {
            send(PacketCodec.encodeText(Packet.message(Message.binary(data))));
        }
    }

    /**
     * Sends one raw text packet (such as {@code 3}, {@code 1}, or garbage) on the current
     * transport; over polling it must be answered 200.
     */
    public void send(String rawPacket) {
        if ("websocket".equals(transport)) {
            webSocket.sendText(rawPacket, true).join();
        } else {
            int status = post(rawPacket);
            if (status != 200) {
                throw new AssertionError("POST answered HTTP " + status);
            }
        }
    }

    /** POSTs a raw polling payload to this session and returns the HTTP status. */
    public int post(String body) {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs raw bytes to this session and returns the HTTP status. */
    public int post(byte[] body) {
        return polling.post(sid, body);
    }

    /** Sends a raw WebSocket text frame (the transport must be WebSocket). */
    public void sendFrame(String text) {
        webSocket.sendText(text, true).join();
    }

    /** Sends a raw WebSocket binary frame (the transport must be WebSocket). */
    public void sendBinaryFrame(byte[] data) {
        webSocket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    // ---- receiving ----

    /** The next packet of any type; fails after the timeout. */
    public Received next(Duration timeout) {
        return recorder.next(timeout);
    }

    /** The next message packet, skipping pings and noops; fails after the timeout. */
    public Message nextMessage(Duration timeout) {
        return nextMessageReceived(timeout).packet().message().orElseThrow();
    }

    /** Like {@link #nextMessage} but with arrival details. */
    public Received nextMessageReceived(Duration timeout) {
        return recorder.nextMessage(timeout);
    }

    /** Fails if any packet arrives within the duration. */
    public void expectNothing(Duration duration) {
        recorder.expectNothing(duration);
    }

    /** Fails if a message or close packet arrives within the duration (pings and noops are fine). */
    public void expectNoMessage(Duration duration) {
        recorder.expectNoMessage(duration);
    }

    /**
     * Waits until the server ends the session: a close packet, a WebSocket close, or a poll refused.
     * Returns a short description of how it ended.
     */
    public String awaitClosed(Duration timeout) {
        return recorder.awaitClosed(timeout);
    }

    /** Whether the session has ended (as seen by this client). */
    public boolean isClosed() {
        return recorder.isClosed();
    }

    /** The packets received so far and not yet taken, without waiting; for failure messages. */
    public List<Received> pending() {
        return recorder.pending();
    }

    // ---- upgrade ----

    /**
     * Upgrades a polling session to WebSocket as the JS client does: opens the WebSocket with the
     * sid, sends {@code 2probe}, waits for {@code 3probe}, waits for the outstanding poll to end,
     * then sends {@code 5}. Packets received over polling before the switch stay in the recorder,
     * in order, ahead of those received over WebSocket.
     */
    public void upgrade() {
        if (!"polling".equals(transport)) {
            throw new IllegalStateException("not on polling");
        }
        CompletableFuture<String> probeAnswer = new CompletableFuture<>();
        WebSocketLeg leg = WebSocketLeg.awaitingFirst(recorder, autoPong, probeAnswer);
        WebSocket ws = WebSocketLeg.open(endpoint, sid, leg);
        ws.sendText("2probe", true).join();
        String answer = Endpoint.await(probeAnswer, Duration.ofSeconds(5), "3probe");
        if (!"3probe".equals(answer)) {
            throw new AssertionError("expected 3probe, got " + answer);
        }
        polling.stopAndJoin(Duration.ofSeconds(5));
        webSocket = ws;
        transport = "websocket";
        leg.carrySession();
        ws.sendText("5", true).join();
    }

    // ---- closing ----

    /** Sends a close packet (if still open) and releases the connections. */
    @Override
    public void close() {
        if (!closing && !recorder.isClosed()) {
            try {
                if ("websocket".equals(transport) && webSocket != null) {
                    webSocket.sendText("1", true).get(2, TimeUnit.SECONDS);
                } else if (sid != null) {
                    post("1");
                }
            } catch (Exception e) {
                // best effort: the server may already be gone
            }
        }
        abort();
    }

    /** Drops the connections without telling the server. */
    public void abort() {
        closing = true;
        polling.abort();
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
        endpoint.http.shutdownNow();
    }

    /** Builds and connects an {@link EngineIoTestClient}. */
    public static final class Builder {
        private final URI endpoint;
        private String transport = "polling";
        private boolean autoPong = true;
        private boolean startPolling = true;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> query = new LinkedHashMap<>();
        private SSLContext sslContext;

        private Builder(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** {@code "polling"} (default) or {@code "websocket"}. */
        public Builder transport(String transport) {
            if (!transport.equals("polling") && !transport.equals("websocket")) {
                throw new IllegalArgumentException("transport must be polling or websocket, was " + transport);
            }
            this.transport = transport;
            return this;
        }

        /** Whether pings are answered automatically; default true. */
        public Builder autoPong(boolean autoPong) {
            this.autoPong = autoPong;
            return this;
        }

        /** Whether the background poll loop starts after a polling handshake; default true. */
        public Builder autoPoll(boolean autoPoll) {
            this.startPolling = autoPoll;
            return this;
        }

        /** A header sent with every request and the WebSocket handshake (such as Origin). */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /**
         * The TLS context for an {@code https://} endpoint (polling over HTTPS, WebSocket over
         * {@code wss://}), such as one that trusts a test certificate. Default: the JDK's.
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** An extra query parameter. */
        public Builder query(String name, String value) {
            query.put(name, value);
            return this;
        }

        /** Connects (the handshake completes before this returns). */
        public EngineIoTestClient connect() {
            EngineIoTestClient c = new EngineIoTestClient(this);
            try {
                if (transport.equals("websocket")) {
                    c.connectWebSocket();
                } else {
                    c.connectPolling(startPolling);
                }
            } catch (RuntimeException | AssertionError e) {
                c.abort();
                throw e;
            }
            return c;
        }
    }
}
