package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.Message;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-memory Engine.IO session for unit tests: what the server sends lands in a queue, what the
 * test delivers reaches the Socket.IO layer as the event loop would hand it over (serially).
 */
final class FakeEngineSocket implements EngineSocket {

    private static int counter;

    final String id = "eio" + (++counter);
    final LinkedBlockingQueue<Message> sent = new LinkedBlockingQueue<>();
    final AtomicBoolean open = new AtomicBoolean(true);
    volatile CloseReason closeReason;
    private final EngineSocketListener listener;

    FakeEngineSocket(SocketIoServer io) {
        this(io, Map.of());
    }

    FakeEngineSocket(SocketIoServer io, Map<String, String> query) {
        this(io, query, 4);
    }

    FakeEngineSocket(SocketIoServer io, Map<String, String> query, int protocol) {
        this.protocol = protocol;
        HandshakeRequest req = new HandshakeRequest(
                Map.of("user-agent", List.of("test")),
                query,
                "/socket.io/?EIO=4&transport=websocket",
                new InetSocketAddress("127.0.0.1", 12345),
                false,
                Instant.now());
        this.request = req;
        this.listener = io.connectionHandler().onOpen(this);
    }

    private final HandshakeRequest request;
    private final int protocol;

    /** Delivers a text message from the "client". */
    synchronized void deliver(String text) {
        if (open.get()) {
            listener.onMessage(this, Message.text(text));
        }
    }

    synchronized void deliver(byte[] binary) {
        if (open.get()) {
            listener.onMessage(this, Message.binary(binary));
        }
    }

    /** The client went away. */
    void clientClose(CloseReason reason) {
        if (open.getAndSet(false)) {
            closeReason = reason;
            listener.onClose(this, reason, "");
        }
    }

    /** The next message the server sent, within 5 s. */
    Message next() throws InterruptedException {
        Message m = sent.poll(5, TimeUnit.SECONDS);
        assertThat(m).as("a message from the server").isNotNull();
        return m;
    }

    String nextText() throws InterruptedException {
        return next().text();
    }

    /** Asserts nothing arrives within the given time. */
    void assertNothingWithin(long millis) throws InterruptedException {
        assertThat(sent.poll(millis, TimeUnit.MILLISECONDS)).isNull();
    }

    /** Connects to the namespace and returns the socket id from the CONNECT reply. */
    String connect(String nsp) throws InterruptedException {
        deliver("/".equals(nsp) ? "0" : "0" + nsp + ",");
        String reply = nextText();
        String prefix = "/".equals(nsp) ? "0" : "0" + nsp + ",";
        assertThat(reply).startsWith(prefix);
        return reply.substring(prefix.length()).replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public HandshakeRequest request() {
        return request;
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void send(Message message) {
        if (open.get()) {
            sent.add(message);
        }
    }

    @Override
    public void send(List<Message> messages) {
        if (open.get()) {
            sent.addAll(messages);
        }
    }

    @Override
    public void close() {
        if (open.getAndSet(false)) {
            closeReason = CloseReason.FORCED_CLOSE;
            listener.onClose(this, CloseReason.FORCED_CLOSE, "");
        }
    }
}
