package dev.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.engineio.Message;
import dev.herald.engineio.parser.MalformedPacketException;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketCodec;
import dev.herald.engineio.parser.PacketType;
import dev.herald.engineio.parser.PayloadCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>Threading: the send methods and the blocking accessors may be called from any thread.
 */
public final class EngineIoTestClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Received CLOSED_MARKER = new Received(Packet.CLOSE, "closed", 0, -1);

    private final URI endpoint;
    private final Map<String, String> headers;
    private final Map<String, String> extraQuery;
    private final boolean autoPong;
    private final HttpClient http;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicLong responses = new AtomicLong();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    // Written by the thread that connects or upgrades, read by every thread.
    private volatile String sid;
    private volatile JsonNode handshake;
    private volatile String transport;
    private volatile WebSocket webSocket;
    private volatile boolean pollingActive;
    private volatile Thread poller;
    private volatile boolean closing;

    private EngineIoTestClient(Builder b) {
        this.endpoint = b.endpoint;
        this.headers = Map.copyOf(b.headers);
        this.extraQuery = Map.copyOf(b.query);
        this.autoPong = b.autoPong;
        HttpClient.Builder hb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        this.http = hb.build();
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
        HttpResponse<String> res = get(query("polling", null), Duration.ofSeconds(5));
        if (res.statusCode() != 200 || !res.body().startsWith("0")) {
            throw new AssertionError("handshake failed: HTTP " + res.statusCode() + " " + res.body());
        }
        acceptOpen(res.body().substring(1));
        transport = "polling";
        if (startPolling) {
            startPolling();
        }
    }

    private void connectWebSocket() {
        CompletableFuture<String> open = new CompletableFuture<>();
        Frames frames = new Frames(open::complete);
        frames.primary = true;
        webSocket = openWebSocket(null, frames);
        String first = await(open, Duration.ofSeconds(5), "open packet over WebSocket");
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
        return URI.create(endpoint + "?EIO=4&transport=" + transportName + "&sid=" + sid);
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
        HttpRequest req = request(query("polling", sid)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "text/plain;charset=UTF-8").build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
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
        Received r = poll(timeout);
        if (r == null) {
            throw new AssertionError("nothing received within " + timeout);
        }
        if (r == CLOSED_MARKER) {
            received.add(CLOSED_MARKER);
            throw new AssertionError("connection closed (" + closed.getNow("?") + ") before a packet arrived");
        }
        return r;
    }

    /** The next message packet, skipping pings and noops; fails after the timeout. */
    public Message nextMessage(Duration timeout) {
        return nextMessageReceived(timeout).packet().message().orElseThrow();
    }

    /** Like {@link #nextMessage} but with arrival details. */
    public Received nextMessageReceived(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Received r = next(Duration.ofNanos(Math.max(0, left)));
            PacketType t = r.packet().type();
            if (t == PacketType.MESSAGE) {
                return r;
            }
            if (t != PacketType.PING && t != PacketType.NOOP) {
                throw new AssertionError("expected a message, got " + r);
            }
        }
    }

    /** Fails if any packet arrives within the duration. */
    public void expectNothing(Duration duration) {
        Received r = poll(duration);
        if (r != null && r != CLOSED_MARKER) {
            throw new AssertionError("expected nothing, got " + r);
        }
        if (r == CLOSED_MARKER) {
            received.add(CLOSED_MARKER);
        }
    }

    /** Fails if a message or close packet arrives within the duration (pings and noops are fine). */
    public void expectNoMessage(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Received r = poll(Duration.ofNanos(left));
            if (r == null) {
                return;
            }
            if (r == CLOSED_MARKER) {
                received.add(CLOSED_MARKER);
                return;
            }
            PacketType t = r.packet().type();
            if (t != PacketType.PING && t != PacketType.NOOP) {
                throw new AssertionError("expected no message, got " + r);
            }
        }
    }

    /**
     * Waits until the server ends the session: a close packet, a WebSocket close, or a poll refused.
     * Returns a short description of how it ended.
     */
    public String awaitClosed(Duration timeout) {
        return await(closed, timeout, "the session to close");
    }

    /** Whether the session has ended (as seen by this client). */
    public boolean isClosed() {
        return closed.isDone();
    }

    private Received poll(Duration timeout) {
        try {
            return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private void record(Packet p, String via, long response) {
        received.add(new Received(p, via, System.nanoTime(), response));
    }

    private void markClosed(String how) {
        if (closed.complete(how)) {
            received.add(CLOSED_MARKER);
        }
    }

    // ---- polling loop ----

    private void startPolling() {
        pollingActive = true;
        poller = Thread.ofVirtual().name("eio-test-poll-" + sid).start(this::pollLoop);
    }

    private void pollLoop() {
        while (pollingActive && !closing) {
            HttpResponse<String> res;
            try {
                res = http.send(request(query("polling", sid)).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (!closing) {
                    markClosed("poll failed: " + e);
                }
                return;
            } catch (InterruptedException e) {
                return;
            }
            if (res.statusCode() != 200) {
                markClosed("poll answered HTTP " + res.statusCode());
                return;
            }
            long n = responses.incrementAndGet();
            List<Packet> packets;
            try {
                packets = PayloadCodec.decode(res.body());
            } catch (MalformedPacketException e) {
                markClosed("malformed poll response");
                return;
            }
            for (Packet p : packets) {
                record(p, "polling", n);
                if (p.type() == PacketType.PING && autoPong && "polling".equals(transport)) {
                    Thread.ofVirtual().start(() -> post("3"));
                } else if (p.type() == PacketType.CLOSE) {
                    markClosed("close packet");
                    return;
                }
            }
        }
    }

    // ---- WebSocket ----

    private WebSocket openWebSocket(String withSid, Frames frames) {
        String base = endpoint.toString().replaceFirst("^http", "ws");
        URI uri = URI.create(base + query("websocket", withSid));
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(b::header);
        return await(b.buildAsync(uri, frames), Duration.ofSeconds(5), "WebSocket to open");
    }

    /** Receives frames; the first text frame goes to {@code firstText} instead of the recorder. */
    private final class Frames implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        private java.util.function.Consumer<String> firstText;
        // True for the connection that carries the session (not a probe still being tried).
        private volatile boolean primary;

        Frames(java.util.function.Consumer<String> firstText) {
            this.firstText = firstText;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                if (firstText != null) {
                    java.util.function.Consumer<String> f = firstText;
                    firstText = null;
                    f.accept(frame);
                } else {
                    onFrame(ws, frame, primary);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                record(PacketCodec.decodeBinary(binary.toByteArray()), "websocket", responses.incrementAndGet());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (primary) {
                markClosed("websocket closed " + statusCode);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (primary) {
                markClosed("websocket error " + error);
            }
        }
    }

    private void onFrame(WebSocket ws, String frame, boolean primary) {
        Packet p;
        try {
            p = PacketCodec.decodeText(frame);
        } catch (MalformedPacketException e) {
            markClosed("malformed frame");
            return;
        }
        record(p, "websocket", responses.incrementAndGet());
        if (p.type() == PacketType.PING && autoPong && primary) {
            ws.sendText("3", true);
        }
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
        Frames frames = new Frames(probeAnswer::complete);
        WebSocket ws = openWebSocket(sid, frames);
        ws.sendText("2probe", true).join();
        String answer = await(probeAnswer, Duration.ofSeconds(5), "3probe");
        if (!"3probe".equals(answer)) {
            throw new AssertionError("expected 3probe, got " + answer);
        }
        pollingActive = false;
        Thread p = poller;
        if (p != null) {
            try {
                if (!p.join(Duration.ofSeconds(5))) {
                    throw new AssertionError("the outstanding poll did not end during the upgrade");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        webSocket = ws;
        transport = "websocket";
        frames.primary = true;
        ws.sendText("5", true).join();
    }

    // ---- closing ----

    /** Sends a close packet (if still open) and releases the connections. */
    @Override
    public void close() {
        if (!closing && !closed.isDone()) {
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
        pollingActive = false;
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
        Thread p = poller;
        if (p != null) {
            p.interrupt();
        }
        http.shutdownNow();
    }

    // ---- helpers ----

    private String query(String transportName, String withSid) {
        StringBuilder q = new StringBuilder("?EIO=4&transport=").append(transportName);
        if (withSid != null) {
            q.append("&sid=").append(withSid);
        }
        extraQuery.forEach((k, v) -> q.append('&').append(k).append('=').append(v));
        return q.toString();
    }

    private HttpRequest.Builder request(String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + query)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        return b;
    }

    private HttpResponse<String> get(String query, Duration timeout) {
        try {
            return http.send(request(query).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("failed waiting for " + what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Builds and connects an {@link EngineIoTestClient}. */
    public static final class Builder {
        private final URI endpoint;
        private String transport = "polling";
        private boolean autoPong = true;
        private boolean startPolling = true;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> query = new LinkedHashMap<>();
        private javax.net.ssl.SSLContext sslContext;

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
        public Builder sslContext(javax.net.ssl.SSLContext context) {
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

    /** The packets received so far and not yet taken, without waiting; for failure messages. */
    public List<Received> pending() {
        return new ArrayList<>(received);
    }
}
