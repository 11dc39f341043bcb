package dev.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.engineio.Message;
import dev.herald.engineio.parser.PacketType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Socket.IO v5 client for tests, in the spirit of Flask-SocketIO's {@code test_client}: connect
 * to a server on a port (one namespace, optional auth), emit with or without ack, and assert the
 * events received, in order.
 *
 * <pre>{@code
 * try (SocketIoTestClient c = SocketIoTestClient.builder(port).namespace("/chat").auth(Map.of("token", "t")).connect()) {
 *     c.emit("message", "hi");
 *     assertThat(c.nextEvent("message-back", Duration.ofSeconds(2)).arg(0).asText()).isEqualTo("hi");
 *     assertThat(c.call("sum", Duration.ofSeconds(2), 1, 2).get(0).asInt()).isEqualTo(3);
 *     c.expectNoEvent(Duration.ofMillis(200));
 * }
 * }</pre>
 *
 * <p>Built on {@link EngineIoTestClient}; a virtual thread decodes what arrives. Binary arguments
 * ({@code byte[]}, {@code ByteBuffer}) go out as attachments and come back as {@code BinaryNode}s.
 * Threading: every method may be called from any thread.
 */
public final class SocketIoTestClient implements AutoCloseable {

    private final EngineIoTestClient engine;
    private final String nsp;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final BlockingQueue<ReceivedEvent> events = new LinkedBlockingQueue<>();
    private final Map<Long, CompletableFuture<ArrayNode>> acks = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<String> disconnected = new CompletableFuture<>();
    private final Thread reader;
    // Reader thread only: a binary packet waiting for attachments.
    private SioPackets.Decoded pending;
    private String pendingTransport;
    private long pendingTime;
    private final List<byte[]> pendingAttachments = new ArrayList<>();
    private volatile String sid;
    private volatile JsonNode connectError;
    private volatile boolean closing;

    private SocketIoTestClient(EngineIoTestClient engine, String nsp) {
        this.engine = engine;
        this.nsp = nsp;
        this.reader = Thread.ofVirtual().name("sio-test-client-" + engine.sid()).start(this::readLoop);
    }

    /** A builder for a server on 127.0.0.1 at this port, path {@code /socket.io/}. */
    public static Builder builder(int port) {
        return new Builder(URI.create("http://127.0.0.1:" + port + "/socket.io/"));
    }

    /** A builder for an Engine.IO endpoint such as {@code http://127.0.0.1:3000/socket.io/}. */
    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    /** The socket id the server gave in its CONNECT reply. */
    public String sid() {
        return sid;
    }

    /** The namespace. */
    public String namespace() {
        return nsp;
    }

    /** The underlying Engine.IO client, for raw packets and transport checks. */
    public EngineIoTestClient engine() {
        return engine;
    }

    // ---------------------------------------------------------------- sending

    /** Emits an event. */
    public void emit(String event, Object... args) {
        sendPacket(2, -1, SioPackets.array(Objects.requireNonNull(event, "event"), args));
    }

    /** Emits an event asking for an ack; the future completes with the ack's arguments. */
    public CompletableFuture<ArrayNode> emitWithAck(String event, Object... args) {
        long id = ids.getAndIncrement();
        CompletableFuture<ArrayNode> f = new CompletableFuture<>();
        acks.put(id, f);
        sendPacket(2, id, SioPackets.array(Objects.requireNonNull(event, "event"), args));
        return f;
    }

    /** Emits with ack and waits for it; fails the test after the timeout. */
    public ArrayNode call(String event, Duration timeout, Object... args) {
        CompletableFuture<ArrayNode> f = emitWithAck(event, args);
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no ack for \"" + event + "\" within " + timeout);
        } catch (Exception e) {
            throw new AssertionError("ack for \"" + event + "\" failed: " + e, e);
        }
    }

    /** Answers an event that asked for an ack. */
    public void ack(ReceivedEvent event, Object... args) {
        if (!event.wantsAck()) {
            throw new IllegalArgumentException("the event did not ask for an ack: " + event);
        }
        sendPacket(3, event.ackId(), SioPackets.array(null, args));
    }

    /** Sends a raw Socket.IO packet (text), such as {@code 2["x"]} or garbage. */
    public void sendRaw(String packet) {
        engine.sendMessage(packet);
    }

    private void sendPacket(int type, long id, JsonNode data) {
        SioPackets.Encoded e = SioPackets.encode(type, nsp, id, data);
        engine.sendMessage(e.text());
        for (byte[] a : e.attachments()) {
            engine.sendBinary(a);
        }
    }

    // ---------------------------------------------------------------- receiving

    /** The next event, whatever its name; fails after the timeout. */
    public ReceivedEvent nextEvent(Duration timeout) {
        try {
            ReceivedEvent e = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + timeout
                        + (disconnected.isDone() ? " (disconnected: " + disconnected.getNow("?") + ")" : ""));
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** The next event, which must be named {@code name}. */
    public ReceivedEvent nextEvent(String name, Duration timeout) {
        ReceivedEvent e = nextEvent(timeout);
        if (!e.name().equals(name)) {
            throw new AssertionError("expected event \"" + name + "\", got " + e);
        }
        return e;
    }

    /** Fails if an event arrives within the duration. */
    public void expectNoEvent(Duration duration) {
        try {
            ReceivedEvent e = events.poll(duration.toNanos(), TimeUnit.NANOSECONDS);
            if (e != null) {
                throw new AssertionError("expected no event, got " + e);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the server disconnects this namespace or the connection ends; returns how. */
    public String awaitDisconnect(Duration timeout) {
        try {
            return disconnected.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            throw new AssertionError("still connected after " + timeout);
        }
    }

    /** Whether the server disconnected this namespace or the connection ended. */
    public boolean isDisconnected() {
        return disconnected.isDone();
    }

    // ---------------------------------------------------------------- closing

    /** Leaves the namespace ({@code 41}) and closes the connection. */
    public void disconnect() {
        if (!closing && !engine.isClosed()) {
            try {
                engine.sendMessage(nsp.equals("/") ? "1" : "1" + nsp + ",");
            } catch (RuntimeException | AssertionError e) {
                // the server may be gone already
            }
        }
        close();
    }

    /** Closes the connection (Engine.IO close packet). */
    @Override
    public void close() {
        closing = true;
        engine.close();
        reader.interrupt();
    }

    // ---------------------------------------------------------------- internals

    private void readLoop() {
        while (!closing) {
            Received r;
            try {
                r = engine.next(Duration.ofMillis(250));
            } catch (AssertionError e) {
                if (engine.isClosed()) {
                    disconnected.complete("transport close");
                    failAcks();
                    return;
                }
                continue;
            }
            if (r.packet().type() == PacketType.CLOSE) {
                disconnected.complete("transport close");
                failAcks();
                return;
            }
            r.packet().message().ifPresent(m -> onMessage(m, r));
        }
    }

    private void failAcks() {
        acks.values().forEach(f -> f.completeExceptionally(new AssertionError("disconnected")));
    }

    private void onMessage(Message m, Received r) {
        if (m.isBinary()) {
            if (pending == null) {
                throw new AssertionError("binary message outside a packet");
            }
            pendingAttachments.add(m.binary());
            if (pendingAttachments.size() == pending.attachments()) {
                SioPackets.Decoded d = pending;
                JsonNode data = SioPackets.fill(d.data(), pendingAttachments);
                pending = null;
                pendingAttachments.clear();
                dispatch(new SioPackets.Decoded(d.type(), d.nsp(), d.id(), data, 0), pendingTransport, pendingTime);
            }
            return;
        }
        SioPackets.Decoded d = SioPackets.decode(m.text());
        if (d.attachments() > 0) {
            pending = d;
            pendingTransport = r.transport();
            pendingTime = r.nanoTime();
            return;
        }
        dispatch(d, r.transport(), r.nanoTime());
    }

    private void dispatch(SioPackets.Decoded d, String transport, long time) {
        if (!d.nsp().equals(nsp)) {
            return;
        }
        switch (d.type()) {
            case 0 -> inbox.add(d);
            case 4 -> {
                connectError = d.data();
                inbox.add(d);
            }
            case 1 -> disconnected.complete("io server disconnect");
            case 2, 5 -> {
                ArrayNode all = (ArrayNode) d.data();
                ArrayNode args = JsonNodeFactory.instance.arrayNode();
                for (int i = 1; i < all.size(); i++) {
                    args.add(all.get(i));
                }
                events.add(new ReceivedEvent(all.get(0).asText(), args, d.id(), transport, time));
            }
            case 3, 6 -> {
                CompletableFuture<ArrayNode> f = acks.remove(d.id());
                if (f != null) {
                    f.complete((ArrayNode) d.data());
                }
            }
            default -> {}
        }
    }

    private SioPackets.Decoded awaitConnectReply(Duration timeout) {
        try {
            Object o = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (o == null) {
                throw new AssertionError("no CONNECT reply within " + timeout);
            }
            return (SioPackets.Decoded) o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Builds and connects a {@link SocketIoTestClient}. */
    public static final class Builder {
        private final EngineIoTestClient.Builder engine;
        private String nsp = "/";
        private JsonNode auth;
        private Duration timeout = Duration.ofSeconds(5);

        private Builder(URI endpoint) {
            this.engine = EngineIoTestClient.builder(endpoint);
        }

        /** {@code "polling"} (default) or {@code "websocket"}. */
        public Builder transport(String transport) {
            engine.transport(transport);
            return this;
        }

        /** The namespace to join; {@code "/"} by default. */
        public Builder namespace(String namespace) {
            this.nsp = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** The auth payload of the CONNECT packet (converted with Jackson). */
        public Builder auth(Object auth) {
            this.auth = SioPackets.tree(auth);
            return this;
        }

        /** An extra query parameter of the handshake. */
        public Builder query(String name, String value) {
            engine.query(name, value);
            return this;
        }

        /** A header of the handshake. */
        public Builder header(String name, String value) {
            engine.header(name, value);
            return this;
        }

        /** How long to wait for the CONNECT reply; 5 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Connects and joins the namespace; fails the test if the server refuses. */
        public SocketIoTestClient connect() {
            SocketIoTestClient c = open();
            if (c.connectError != null) {
                JsonNode err = c.connectError;
                c.close();
                throw new AssertionError("connection refused: " + err);
            }
            return c;
        }

        /** Connects expecting a refusal; returns the {@code connect_error} payload. */
        public JsonNode connectExpectingError() {
            SocketIoTestClient c = open();
            try {
                if (c.connectError == null) {
                    throw new AssertionError("expected connect_error, got CONNECT sid=" + c.sid);
                }
                return c.connectError;
            } finally {
                c.close();
            }
        }

        private SocketIoTestClient open() {
            SocketIoTestClient c = new SocketIoTestClient(engine.connect(), nsp);
            try {
                SioPackets.Encoded e = SioPackets.encode(0, nsp, -1, auth);
                c.engine.sendMessage(e.text());
                SioPackets.Decoded reply = c.awaitConnectReply(timeout);
                if (reply.type() == 0) {
                    c.sid = reply.data().path("sid").asText();
                }
                return c;
            } catch (RuntimeException | AssertionError ex) {
                c.close();
                throw ex;
            }
        }
    }
}
