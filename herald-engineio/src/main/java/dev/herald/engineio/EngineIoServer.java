package dev.herald.engineio;

import dev.herald.engineio.transport.EngineError;
import dev.herald.engineio.transport.EngineRequest;
import dev.herald.engineio.transport.SessionExecutor;
import dev.herald.engineio.transport.WebSocketConnection;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
    private final HttpHooks hooks;
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
        this.hooks = new HttpHooks(options);
    }

    /** Creates a server; {@code handler} is told of every new session. */
    public static EngineIoServer create(EngineIoOptions options, EngineConnectionHandler handler) {
        return new EngineIoServer(
                Objects.requireNonNull(options, "options"), Objects.requireNonNull(handler, "handler"));
    }

    /** The options this server was created with. */
    public EngineIoOptions options() {
        return options;
    }

    /** The number of sessions currently known (open, or closing while their last poll drains). */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * The sessions whose current transport is this one, counted now (a walk over every session,
     * for a metrics scrape rather than a hot path). A session being upgraded counts as polling
     * until the upgrade completes.
     */
    public int sessionCount(EngineIoOptions.Transport transport) {
        Objects.requireNonNull(transport, "transport");
        int n = 0;
        for (EngineSession s : sessions.values()) {
            if (transport.wire().equals(s.transport())) {
                n++;
            }
        }
        return n;
    }

    /** The open session with this sid, if any. */
    public Optional<EngineSocket> session(String sid) {
        EngineSession s = sessions.get(sid);
        return s != null && s.isOpen() ? Optional.of(s) : Optional.empty();
    }

    /**
     * The home loop of the session with this sid, while it is known: a transport that chooses the
     * loop of each connection runs the session's WebSocket probe there, so one loop owns both.
     */
    public Optional<SessionExecutor> executorOf(String sid) {
        EngineSession s = sessions.get(Objects.requireNonNull(sid, "sid"));
        return s == null ? Optional.empty() : Optional.of(s.home());
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
        HttpRequestView view = new HttpRequestView(req.method(), r);
        ResponseHeaders headers = new ResponseHeaders();
        Optional<ConnectionError> error = hooks.middlewares(view, headers);
        if (error.isEmpty()) {
            error = verify(view, false);
        }
        if (error.isEmpty()) {
            error = hooks.headers(view, headers);
        }
        if (error.isPresent()) {
            refuse(HttpHooks.withHeaders(req, headers), error.get());
            return;
        }
        String sid = r.query().get("sid");
        if (sid == null) {
            handshakePolling(req, view, headers);
            return;
        }
        EngineSession session = sessions.get(sid);
        if (session == null) {
            PollingLeg.respondError(req, EngineError.UNKNOWN_SID);
            return;
        }
        // One object for both: the session matches an abort to the request it parked.
        EngineRequest answered = HttpHooks.withHeaders(req, headers);
        answered.onAbort(() -> session.onHome(() -> session.onRequestAborted(answered)));
        session.onHome(() -> session.onPollingRequest(answered));
    }

    /**
     * Checks a WebSocket upgrade request before the transport completes the WebSocket handshake.
     * An error means: answer the HTTP request with that error and do not upgrade.
     */
    public Optional<EngineError> checkWebSocket(HandshakeRequest r) {
        return checkUpgrade(r, new ResponseHeaders()).map(ConnectionError::code);
    }

    /**
     * Checks a WebSocket upgrade request as {@link #checkWebSocket} does, running the HTTP hooks
     * (middlewares, {@code allowRequest} for a handshake, the headers hooks) and telling the
     * {@code connection_error} listeners of a refusal. On success {@code out} holds the headers to
     * add to the 101 answer; on a refusal, answer with the error's status and JSON body (and
     * {@code out}'s headers, which middlewares may have set) and do not upgrade.
     */
    public Optional<ConnectionError> checkUpgrade(HandshakeRequest r, ResponseHeaders out) {
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(out, "out");
        HttpRequestView view = new HttpRequestView("GET", r);
        Optional<ConnectionError> error = hooks.middlewares(view, out);
        if (error.isEmpty() && !"websocket".equals(r.query().get("transport"))) {
            error = Optional.of(ConnectionError.of(
                    view,
                    EngineError.TRANSPORT_UNKNOWN,
                    context("transport", r.query().get("transport"))));
        }
        if (error.isEmpty()) {
            error = verify(view, true);
        }
        if (error.isEmpty()) {
            error = hooks.headers(view, out);
        }
        error.ifPresent(this::report);
        return error;
    }

    /**
     * A transport refused a request itself (its Origin check, a malformed upgrade): tells the
     * {@code connection_error} listeners and returns the error to answer with.
     */
    public ConnectionError refuse(HttpRequestView request, EngineError code, Map<String, String> context) {
        ConnectionError error = ConnectionError.of(request, code, context);
        report(error);
        return error;
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

    private Optional<ConnectionError> verify(HttpRequestView view, boolean upgrade) {
        HandshakeRequest r = view.request();
        String transport = r.query().get("transport");
        if (transport == null || !options.allows(transport)) {
            return error(view, EngineError.TRANSPORT_UNKNOWN, context("transport", transport));
        }
        if (protocolOf(r) < 0) {
            return error(
                    view,
                    EngineError.UNSUPPORTED_PROTOCOL_VERSION,
                    context("protocol", r.query().get("EIO")));
        }
        String sid = r.query().get("sid");
        if (sid != null) {
            EngineSession session = sessions.get(sid);
            if (session == null) {
                return error(view, EngineError.UNKNOWN_SID, Map.of("sid", sid));
            }
            // A WebSocket for a session that cannot upgrade any more is still accepted, then closed
            // (attachProbe does it): clients expect a close there, not a failed handshake.
            if (!upgrade && !transport.equals(session.transport())) {
                return error(
                        view,
                        EngineError.BAD_REQUEST,
                        Map.of(
                                "name",
                                "TRANSPORT_MISMATCH",
                                "transport",
                                transport,
                                "previousTransport",
                                session.transport()));
            }
            return Optional.empty();
        }
        if (!upgrade && !"polling".equals(transport)) {
            return error(view, EngineError.BAD_REQUEST, Map.of("name", "TRANSPORT_HANDSHAKE_ERROR"));
        }
        if (!"GET".equals(view.method())) {
            return error(view, EngineError.BAD_HANDSHAKE_METHOD, Map.of("method", view.method()));
        }
        if (closed) {
            return error(view, EngineError.FORBIDDEN, Map.of("name", "SERVER_CLOSED"));
        }
        int max = options.maxSessionsPerAddress();
        if (max > 0 && perAddress.getOrDefault(addressOf(r), 0) >= max) {
            return error(view, EngineError.FORBIDDEN, Map.of("name", "TOO_MANY_SESSIONS"));
        }
        return hooks.allowRequest(view);
    }

    private static Optional<ConnectionError> error(
            HttpRequestView view, EngineError code, Map<String, String> context) {
        return Optional.of(ConnectionError.of(view, code, context));
    }

    /** A one-entry context, or none when the value is missing. */
    private static Map<String, String> context(String key, String value) {
        return value == null ? Map.of() : Map.of(key, value);
    }

    private void report(ConnectionError error) {
        log.debug(
                "refusing {} {}: {} {}",
                error.request().method(),
                error.request().url(),
                error.code(),
                error.context());
        hooks.report(error);
    }

    private void refuse(EngineRequest req, ConnectionError error) {
        report(error);
        req.respond(error.httpStatus(), "application/json", error.json().getBytes(StandardCharsets.UTF_8));
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

    private void handshakePolling(EngineRequest req, HttpRequestView view, ResponseHeaders headers) {
        EngineSession session = newSession(req.request(), req.executor(), "polling");
        if (session == null) {
            refuse(
                    HttpHooks.withHeaders(req, headers),
                    ConnectionError.of(view, EngineError.FORBIDDEN, Map.of("name", "TOO_MANY_SESSIONS")));
            return;
        }
        hooks.cookie(session.id(), headers);
        EngineRequest answered = HttpHooks.withHeaders(req, headers);
        session.onHome(() -> session.open(answered));
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
    private EngineSession newSession(HandshakeRequest r, SessionExecutor home, String transport) {
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
