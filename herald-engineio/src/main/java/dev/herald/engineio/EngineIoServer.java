package dev.herald.engineio;

import dev.herald.engineio.transport.EngineError;
import dev.herald.engineio.transport.EngineRequest;
import dev.herald.engineio.transport.WebSocketConnection;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine.IO server: handshakes, the sid → session map, and the entry points a transport
 * (such as herald-netty's {@code NettyServer}) calls for each request and WebSocket.
 *
 * <p>It knows nothing of HTTP servers: transports adapt their requests to {@link EngineRequest}
 * and {@link WebSocketConnection}. Each session lives on one home event loop, the loop of the
 * connection that made its handshake.
 *
 * <p>Threading: every method may be called from any thread.
 */
public final class EngineIoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineIoServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EngineIoOptions options;
    private final EngineConnectionHandler handler;
    // Shared by every event loop: sessions are added on their home loop and removed there.
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    // Set once by close(), from any thread; read by every loop before a handshake.
    private volatile boolean closed;
    // Volatile messages dropped for slow consumers, counted from every home loop.
    private final LongAdder dropped = new LongAdder();
    // Open sessions per remote IP, kept only when maxSessionsPerAddress is set; any loop.
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    private EngineIoServer(EngineIoOptions options, EngineConnectionHandler handler) {
        this.options = options;
        this.handler = handler;
    }

    /** Creates a server; {@code handler} is told of every new session. */
    public static EngineIoServer create(EngineIoOptions options, EngineConnectionHandler handler) {
        return new EngineIoServer(Objects.requireNonNull(options, "options"), Objects.requireNonNull(handler, "handler"));
    }

    /** The options this server was created with. */
    public EngineIoOptions options() {
        return options;
    }

    /** The number of sessions currently known (open, or closing while their last poll drains). */
    public int sessionCount() {
        return sessions.size();
    }

    /** The open session with this sid, if any. */
    public Optional<EngineSocket> session(String sid) {
        EngineSession s = sessions.get(sid);
        return s != null && s.isOpen() ? Optional.of(s) : Optional.empty();
    }

    /**
     * How many volatile messages were dropped since start because their client was over the
     * write-buffer high-water mark (see {@link EngineSocket#sendVolatile(Message)}).
     */
    public long droppedMessages() {
        return dropped.sum();
    }

    /**
     * Bytes written by the server and not yet taken by clients, summed over every session: the
     * polling queues plus the WebSocket outbound buffers. An estimate, for monitoring and tests.
     */
    public long bufferedBytes() {
        long total = 0;
        for (EngineSession s : sessions.values()) {
            total += s.bufferedBytes();
        }
        return total;
    }

    void countDropped(int messages) {
        dropped.add(messages);
    }

    EngineConnectionHandler handler() {
        return handler;
    }

    // ---- transport entry points ----

    /**
     * Handles a plain HTTP request on the Engine.IO path: a polling handshake, a poll (GET) or a
     * POST of packets. Answers errors with the reference's status and JSON body.
     */
    public void handleRequest(EngineRequest req) {
        Objects.requireNonNull(req, "req");
        HandshakeRequest r = req.request();
        if (log.isTraceEnabled()) {
            log.trace("{} {} from {}", req.method(), r.url(), r.remoteAddress());
        }
        Optional<EngineError> error = verify(r, req.method(), false);
        if (error.isPresent()) {
            log.debug("refusing {} {}: {}", req.method(), r.url(), error.get().message());
            EngineSession.respondError(req, error.get());
            return;
        }
        String sid = r.query().get("sid");
        if (sid == null) {
            handshakePolling(req);
            return;
        }
        EngineSession session = sessions.get(sid);
        if (session == null) {
            EngineSession.respondError(req, EngineError.UNKNOWN_SID);
            return;
        }
        req.onAbort(() -> session.onHome(() -> session.onRequestAborted(req)));
        session.onHome(() -> session.onPollingRequest(req));
    }

    /**
     * Checks a WebSocket upgrade request before the transport completes the WebSocket handshake.
     * An error means: answer the HTTP request with that error and do not upgrade.
     */
    public Optional<EngineError> checkWebSocket(HandshakeRequest r) {
        Objects.requireNonNull(r, "r");
        if (!"websocket".equals(r.query().get("transport"))) {
            return Optional.of(EngineError.TRANSPORT_UNKNOWN);
        }
        return verify(r, "GET", true);
    }

    /**
     * A WebSocket passed {@link #checkWebSocket} and completed its handshake. Without a sid it opens
     * a new session; with one it becomes that session's upgrade probe (or is closed if the session
     * cannot upgrade any more). Call on the connection's event loop.
     *
     * @return the listener the transport feeds with this connection's messages
     */
    public WebSocketConnection.Listener openWebSocket(HandshakeRequest r, WebSocketConnection connection) {
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(connection, "connection");
        String sid = r.query().get("sid");
        if (sid == null) {
            if (closed) {
                connection.close();
                return IGNORE;
            }
            EngineSession session = newSession(r, connection.executor(), "websocket");
            if (session == null) {
                connection.close();
                return IGNORE;
            }
            return session.open(connection);
        }
        EngineSession session = sessions.get(sid);
        if (session == null || !session.acceptsProbe()) {
            connection.close();
            return IGNORE;
        }
        return session.attachProbe(connection);
    }

    /**
     * The transport refused a request body over {@code maxHttpBufferSize}: the session named by its
     * sid, if any, closes with {@code message too large}.
     */
    public void rejectOversized(HandshakeRequest r) {
        String sid = r.query().get("sid");
        EngineSession session = sid == null ? null : sessions.get(sid);
        if (session != null) {
            session.onHome(() -> session.close(CloseReason.MESSAGE_TOO_LARGE, "body over maxHttpBufferSize"));
        }
    }

    /**
     * Closes every session with reason {@code server shutting down} and refuses new ones. Waits (up
     * to two seconds) until each session's home loop has closed it, so a transport may stop its
     * loops right after; called on a home loop itself, it does not wait.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = shutdown();
        for (EngineSession s : sessions.values()) {
            if (s.home().inExecutor()) {
                return;
            }
        }
        try {
            done.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("not every session closed within 2 s of shutdown", e);
        }
    }

    /**
     * Starts closing every session with reason {@code server shutting down} and refuses new ones.
     * The future completes once each session's home loop has closed it.
     */
    public CompletableFuture<Void> shutdown() {
        closed = true;
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (EngineSession s : new ArrayList<>(sessions.values())) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            closes.add(f);
            boolean queued = s.onHome(() -> {
                try {
                    s.close(CloseReason.SERVER_SHUTTING_DOWN, "");
                } finally {
                    f.complete(null);
                }
            });
            if (!queued) {
                // Its loop is gone (the transport stopped first): the session can do nothing more.
                sessions.remove(s.id(), s);
                f.complete(null);
            }
        }
        return CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new));
    }

    // ---- internals ----

    private Optional<EngineError> verify(HandshakeRequest r, String method, boolean upgrade) {
        String transport = r.query().get("transport");
        if (transport == null || !options.allows(transport)) {
            return Optional.of(EngineError.TRANSPORT_UNKNOWN);
        }
        if (protocolOf(r) < 0) {
            return Optional.of(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
        }
        String sid = r.query().get("sid");
        if (sid != null) {
            EngineSession session = sessions.get(sid);
            if (session == null) {
                return Optional.of(EngineError.UNKNOWN_SID);
            }
            // A WebSocket for a session that cannot upgrade any more is still accepted, then closed
            // (attachProbe does it): clients expect a close there, not a failed handshake.
            if (!upgrade && !transport.equals(session.transport())) {
                return Optional.of(EngineError.BAD_REQUEST);
            }
            return Optional.empty();
        }
        if (!upgrade && !"polling".equals(transport)) {
            return Optional.of(EngineError.BAD_REQUEST);
        }
        if (!"GET".equals(method)) {
            return Optional.of(EngineError.BAD_HANDSHAKE_METHOD);
        }
        if (closed) {
            return Optional.of(EngineError.FORBIDDEN);
        }
        int max = options.maxSessionsPerAddress();
        if (max > 0 && perAddress.getOrDefault(addressOf(r), 0) >= max) {
            return Optional.of(EngineError.FORBIDDEN);
        }
        return Optional.empty();
    }

    /** 4, or 3 when allowed and asked for explicitly; -1 for anything else. */
    private int protocolOf(HandshakeRequest r) {
        String eio = r.query().get("EIO");
        if ("4".equals(eio)) {
            return 4;
        }
        if ("3".equals(eio) && options.allowEio3()) {
            return 3;
        }
        return -1;
    }

    private void handshakePolling(EngineRequest req) {
        EngineSession session = newSession(req.request(), req.executor(), "polling");
        if (session == null) {
            EngineSession.respondError(req, EngineError.FORBIDDEN);
            return;
        }
        session.onHome(() -> session.open(req));
    }

    /** Takes one of the address's slots; false when it has none left. */
    private boolean reserve(InetAddress address) {
        int max = options.maxSessionsPerAddress();
        if (max <= 0) {
            return true;
        }
        boolean[] ok = new boolean[1];
        perAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            ok[0] = count < max;
            return ok[0] ? count + 1 : n;
        });
        if (!ok[0]) {
            log.debug("refusing a handshake: {} already holds {} sessions", address, max);
        }
        return ok[0];
    }

    private void release(InetAddress address) {
        if (options.maxSessionsPerAddress() > 0) {
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    private static InetAddress addressOf(HandshakeRequest r) {
        InetAddress a = r.remoteAddress().getAddress();
        return a != null ? a : InetAddress.getLoopbackAddress();
    }

    /** A new registered session, or null when its address holds maxSessionsPerAddress already. */
    private EngineSession newSession(HandshakeRequest r, dev.herald.engineio.transport.SessionExecutor home, String transport) {
        if (!reserve(addressOf(r))) {
            return null;
        }
        String sid;
        EngineSession session;
        do {
            sid = newSid();
            session = new EngineSession(this, sid, protocolOf(r), r, home, transport);
        } while (sessions.putIfAbsent(sid, session) != null);
        log.debug("sid {} opened on {}", sid, transport);
        return session;
    }

    void remove(EngineSession session) {
        if (sessions.remove(session.id(), session)) {
            release(addressOf(session.request()));
        }
    }

    private static String newSid() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static final WebSocketConnection.Listener IGNORE = new WebSocketConnection.Listener() {
        @Override
        public void onText(String text) {}

        @Override
        public void onBinary(byte[] data) {}

        @Override
        public void onClose(CloseReason reason, String description) {}
    };
}
