package dev.herald.engineio;

import dev.herald.engineio.parser.Eio3Codec;
import dev.herald.engineio.parser.MalformedPacketException;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketCodec;
import dev.herald.engineio.parser.PacketType;
import dev.herald.engineio.transport.EngineError;
import dev.herald.engineio.transport.EngineRequest;
import dev.herald.engineio.transport.SessionExecutor;
import dev.herald.engineio.transport.SessionExecutor.Cancellable;
import dev.herald.engineio.transport.WebSocketConnection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session: its state machine, heartbeat, write queue and transport switch.
 *
 * <p>Threading: every field below is owned by {@link #home}, the session's home event loop, unless
 * its comment says otherwise. Transports and the layer above call in from any thread; each entry
 * point hops to the home loop first, so no field is ever touched concurrently.
 */
final class EngineSession implements EngineSocket {

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);
    private static final String POLLING = "polling";
    private static final String WEBSOCKET = "websocket";
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);
    /**
     * How long a closing session waits for its client to fetch what was queued before the close
     * (and, over polling, the close packet itself) before its sid is forgotten: a client that stops
     * reading must not hold the session.
     */
    static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(2);

    enum State { OPENING, OPEN, UPGRADING, CLOSING, CLOSED }

    private final EngineIoServer server;
    private final String id;
    private final int protocol;
    private final HandshakeRequest request;
    private final SessionExecutor home;
    private final EngineIoOptions options;
    private final SlowConsumerPolicy budget;
    // Any thread adds; home drains. outboxQueued is 1 while a drain is queued and not started
    // (an int behind a VarHandle: one object less per session).
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private volatile int outboxQueued;
    private static final VarHandle OUTBOX_QUEUED;

    static {
        try {
            OUTBOX_QUEUED = MethodHandles.lookup().findVarHandle(EngineSession.class, "outboxQueued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private final Runnable drainOutbox = this::drainOutbox;

    // Written on home, read from any thread (isOpen, transport, request routing).
    private volatile State state = State.OPENING;
    private volatile String transport;

    private EngineSocketListener listener;
    // Set once, when the session closes.
    private CloseReason closeReason;
    // Starts at two slots: an idle session queues nothing, and ArrayDeque grows when it must.
    private final ArrayDeque<Packet> buffer = new ArrayDeque<>(1);
    private EngineRequest parkedGet;
    // Written on home; volatile because bufferedBytes() reads it from any thread.
    private volatile WebSocketConnection webSocket;
    private WebSocketConnection probe;
    private Cancellable pingTimer;
    private Cancellable pingTimeoutTimer;
    private Cancellable upgradeTimer;
    private Cancellable drainTimer;
    // home.nanoTime() by which a pong (EIO4) or ping (EIO3) is due; 0 when none is awaited.
    private long pingDeadline;
    // home.nanoTime() at which the next ping is due (EIO4).
    private long nextPingAt;
    // In CLOSING state over polling: what the poll after the queued messages gets (close, or noop
    // when the client closed first); null in any other state.
    private Packet lastPacket;
    // In CLOSING state over WebSocket: the connection that is sending what was queued and then its
    // close frame; the session ends when it reports closed, or is aborted at CLOSE_TIMEOUT.
    // Written on home; volatile because bufferedBytes() reads it from any thread.
    private volatile WebSocketConnection closingWebSocket;

    EngineSession(EngineIoServer server, String id, int protocol, HandshakeRequest request,
            SessionExecutor home, String transport) {
        this.server = server;
        this.id = id;
        this.protocol = protocol;
        this.request = request;
        this.home = home;
        this.options = server.options();
        this.transport = transport;
        this.budget = new SlowConsumerPolicy(options, home, id,
                () -> close(CloseReason.SLOW_CONSUMER, "client does not read what is sent to it"));
    }

    // ---- EngineSocket, any thread ----

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
        return transport;
    }

    /** Whether a WebSocket with this sid may still become its transport; any thread. */
    boolean acceptsProbe() {
        return state != State.CLOSED;
    }

    @Override
    public boolean isOpen() {
        State s = state;
        return s == State.OPEN || s == State.UPGRADING || s == State.OPENING;
    }

    @Override
    public void send(Message message) {
        post(new Outgoing(List.of(Packet.message(Objects.requireNonNull(message, "message"))), false));
    }

    @Override
    public void send(List<Message> messages) {
        post(new Outgoing(toPackets(messages), false));
    }

    @Override
    public void sendVolatile(Message message) {
        post(new Outgoing(List.of(Packet.message(Objects.requireNonNull(message, "message"))), true));
    }

    @Override
    public void sendVolatile(List<Message> messages) {
        post(new Outgoing(toPackets(messages), true));
    }

    /**
     * Writes at once on home; from any other thread, queues the write and makes sure one hop to
     * home is on its way. Sends from handler threads thus cross to the loop in batches (one task
     * and one flush for everything queued meanwhile) rather than one task each, and still in order:
     * a drain is either queued before anything the sender hands to home afterwards, or it is
     * already running and has not yet polled.
     */
    private void post(Outgoing out) {
        if (home.inExecutor()) {
            if (enqueue(out.packets(), out.isVolatile())) {
                flushAndCheck();
            }
            return;
        }
        outbox.add(out);
        if (OUTBOX_QUEUED.compareAndSet(this, 0, 1) && !onHome(drainOutbox)) {
            outbox.clear();
        }
    }

    /** Everything queued so far goes into the buffer, then one flush (one poll answer for polling). */
    private void drainOutbox() {
        outboxQueued = 0;
        boolean queued = false;
        Outgoing out;
        while ((out = outbox.poll()) != null) {
            queued |= enqueue(out.packets(), out.isVolatile());
        }
        if (queued) {
            flushAndCheck();
        }
    }

    /** Packets handed over by another thread, waiting for the home loop. */
    private record Outgoing(List<Packet> packets, boolean isVolatile) {}

    private static List<Packet> toPackets(List<Message> messages) {
        List<Packet> packets = new ArrayList<>(messages.size());
        for (Message m : messages) {
            packets.add(Packet.message(Objects.requireNonNull(m, "message")));
        }
        return packets;
    }

    /**
     * Bytes waiting for this client: the session's own queue plus what its WebSocket has not sent
     * yet. An estimate (text is counted in chars); any thread.
     */
    long bufferedBytes() {
        WebSocketConnection ws = webSocket;
        return budget.pending(ws != null ? ws : closingWebSocket);
    }

    @Override
    public void close() {
        onHome(() -> close(CloseReason.FORCED_CLOSE, ""));
    }

    SessionExecutor home() {
        return home;
    }

    /**
     * Runs the task on the home loop. Returns false, dropping the task, when that loop has been
     * shut down (the transport was stopped before the engine): nothing is left to write to.
     */
    boolean onHome(Runnable task) {
        if (home.inExecutor()) {
            task.run();
            return true;
        }
        try {
            home.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("home loop gone, task dropped, sid={}", id);
            return false;
        }
    }

    // ---- opening (home) ----

    /** Writes the open packet on the handshake transport, then tells the layer above. */
    void open(EngineRequest handshake) {
        scheduleHeartbeat();
        respondPayload(handshake, List.of(openPacket(true)));
        notifyOpen();
    }

    /** Writes the open packet on a WebSocket handshake, then tells the layer above. */
    WebSocketConnection.Listener open(WebSocketConnection connection) {
        webSocket = connection;
        scheduleHeartbeat();
        connection.sendText(PacketCodec.webSocketText(openPacket(false)));
        notifyOpen();
        return listenerFor(connection, false);
    }

    /** The handshake: exactly the five keys of the spec; websocket is offered to polling sessions. */
    private Packet openPacket(boolean offerWebSocket) {
        StringBuilder json = new StringBuilder("{\"sid\":\"").append(id).append("\",\"upgrades\":[");
        if (offerWebSocket && options.allows(WEBSOCKET)) {
            json.append("\"websocket\"");
        }
        json.append("],\"pingInterval\":").append(options.pingInterval().toMillis())
                .append(",\"pingTimeout\":").append(options.pingTimeout().toMillis())
                .append(",\"maxPayload\":").append(options.maxHttpBufferSize()).append('}');
        return Packet.of(PacketType.OPEN, json.toString());
    }

    private void notifyOpen() {
        state = State.OPEN;
        EngineSocketListener l;
        try {
            l = server.handler().onOpen(this);
        } catch (RuntimeException e) {
            log.warn("connection handler failed for sid {}; closing the session", id, e);
            close(CloseReason.FORCED_CLOSE, "connection handler failed");
            return;
        }
        if (closeReason != null) {
            // The handler closed the session before returning its listener: still tell it, once.
            notifyClose(l, closeReason, "");
        } else {
            listener = l;
        }
    }

    // ---- heartbeat (home) ----

    private void scheduleHeartbeat() {
        if (protocol == 3) {
            // EIO3: the client pings; a session that stays silent for interval + timeout is dead.
            armPingTimeout(home.nanoTime() + options.pingInterval().plus(options.pingTimeout()).toNanos());
            return;
        }
        schedulePing(home.nanoTime());
    }

    private void schedulePing(long fromNanos) {
        cancel(pingTimer);
        nextPingAt = fromNanos + options.pingInterval().toNanos();
        pingTimer = home.schedule(this::sendPing, untilNanos(nextPingAt));
    }

    private void sendPing() {
        if (!isOpen()) {
            return;
        }
        write(List.of(Packet.PING));
        // Counted from when the ping was due, not from when a busy loop got to it: a late timer
        // must not extend the session's life.
        armPingTimeout(nextPingAt + options.pingTimeout().toNanos());
    }

    private void armPingTimeout(long deadlineNanos) {
        cancel(pingTimeoutTimer);
        pingDeadline = deadlineNanos;
        pingTimeoutTimer = home.schedule(() -> close(CloseReason.PING_TIMEOUT, ""), untilNanos(deadlineNanos));
    }

    private java.time.Duration untilNanos(long deadlineNanos) {
        return java.time.Duration.ofNanos(Math.max(0, deadlineNanos - home.nanoTime()));
    }

    /**
     * Whether the ping deadline has passed even though its timer has not run yet (a busy loop runs
     * timers late): a request that arrives after the deadline must find the session gone.
     */
    private boolean pingDeadlinePassed() {
        return pingDeadline != 0 && home.nanoTime() - pingDeadline >= 0;
    }

    // ---- writing (home) ----

    private void write(List<Packet> packets) {
        if (enqueue(packets, false)) {
            flushAndCheck();
        }
    }

    /** Adds the packets to the buffer unless the session is closed or they are volatile and late. */
    private boolean enqueue(List<Packet> packets, boolean isVolatile) {
        if (!isOpen()) {
            return false;
        }
        if (isVolatile && budget.overHighWaterMark(webSocket)) {
            server.countDropped(packets.size());
            if (log.isTraceEnabled()) {
                log.trace("sid {}: dropped {} volatile message(s), client is not keeping up", id, packets.size());
            }
            return false;
        }
        buffer.addAll(packets);
        budget.queued(packets);
        return true;
    }

    private void flushAndCheck() {
        flush();
        if (isOpen()) {
            budget.check(webSocket, () -> isOpen() ? webSocket : null);
        }
    }

    private void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        if (WEBSOCKET.equals(transport)) {
            if (webSocket != null && state == State.OPEN) {
                Packet p;
                while ((p = buffer.poll()) != null) {
                    writeFrame(webSocket, p);
                }
                budget.drained();
            }
        } else if (parkedGet != null && state != State.UPGRADING) {
            EngineRequest get = parkedGet;
            parkedGet = null;
            respondPayload(get, drainBuffer());
        }
    }

    private List<Packet> drainBuffer() {
        List<Packet> out = new ArrayList<>(buffer);
        buffer.clear();
        budget.drained();
        return out;
    }

    private void writeFrame(WebSocketConnection ws, Packet p) {
        // Control packets may be compressed (as in the JS reference); only a message can opt out.
        boolean compress = p.message().map(Message::compress).orElse(true);
        if (p.isBinary()) {
            byte[] data = p.message().orElseThrow().binary();
            ws.sendBinary(protocol == 3 ? Eio3Codec.encodeWebSocketBinary(data) : data, compress);
        } else {
            ws.sendText(PacketCodec.webSocketText(p), compress);
        }
    }

    private void respondPayload(EngineRequest get, List<Packet> packets) {
        PollingFormat.respond(get, protocol, packets, options);
    }

    // ---- polling (home) ----

    /** A GET or POST on the polling transport of this session. */
    void onPollingRequest(EngineRequest req) {
        if (isOpen() && pingDeadlinePassed()) {
            close(CloseReason.PING_TIMEOUT, "");
            respondError(req, EngineError.UNKNOWN_SID);
            return;
        }
        if (state == State.CLOSED) {
            respondError(req, EngineError.UNKNOWN_SID);
            return;
        }
        if (!POLLING.equals(transport)) {
            respondError(req, EngineError.BAD_REQUEST);
            return;
        }
        switch (req.method()) {
            case "GET" -> onPoll(req);
            case "POST" -> onPost(req);
            default -> respondError(req, EngineError.BAD_REQUEST);
        }
    }

    private void onPoll(EngineRequest get) {
        if (state == State.CLOSING) {
            answerClosingPoll(get);
            return;
        }
        if (parkedGet != null) {
            // Two polls at once: the client is broken. The first learns of the close, the second is refused.
            EngineRequest first = parkedGet;
            parkedGet = null;
            respondPayload(first, List.of(Packet.CLOSE));
            respondError(get, EngineError.BAD_REQUEST);
            close(CloseReason.POLLING_ERROR, "overlapping poll requests");
            return;
        }
        if (state == State.UPGRADING) {
            // The client is switching to WebSocket: end its poll now, keep the queue for the new transport.
            respondPayload(get, List.of(Packet.NOOP));
            return;
        }
        if (!buffer.isEmpty()) {
            respondPayload(get, drainBuffer());
            return;
        }
        parkedGet = get;
    }

    /** The connection of a request went away before it was answered. */
    void onRequestAborted(EngineRequest req) {
        if (parkedGet == req) {
            parkedGet = null;
            close(CloseReason.TRANSPORT_ERROR, "poll connection closed prematurely");
        }
    }

    private void onPost(EngineRequest post) {
        if (state == State.CLOSING && closeReason == CloseReason.TRANSPORT_CLOSE) {
            // The client closed: it has nothing more to say.
            respondError(post, EngineError.UNKNOWN_SID);
            return;
        }
        List<Packet> packets;
        try {
            packets = PollingFormat.decode(post, protocol);
        } catch (MalformedPacketException e) {
            log.debug("sid {}: malformed polling payload: {}", id, e.getMessage());
            respondError(post, EngineError.BAD_REQUEST);
            close(CloseReason.PARSE_ERROR, e.getMessage());
            return;
        }
        if (state == State.CLOSING) {
            // The server closed; this was sent before the client learnt of it (a pong, its own
            // close): a refusal would fail its transport before it fetched what is queued. Only
            // its close matters now.
            post.respond(200, "text/html", OK);
            if (packets.stream().anyMatch(p -> p.type() == PacketType.CLOSE)) {
                finish();
            }
            return;
        }
        for (Packet p : packets) {
            if (!isOpen()) {
                break;
            }
            onPacket(p);
        }
        post.respond(200, "text/html", OK);
    }

    static void respondError(EngineRequest req, EngineError error) {
        req.respond(error.httpStatus(), "application/json", error.json().getBytes(StandardCharsets.UTF_8));
    }

    // ---- packets from the active transport (home) ----

    private void onPacket(Packet p) {
        if (!isOpen()) {
            return;
        }
        if (log.isTraceEnabled()) {
            log.trace("sid {} received {}", id, p);
        }
        switch (p.type()) {
            case PONG -> {
                if (protocol != 3) {
                    cancel(pingTimeoutTimer);
                    pingDeadline = 0;
                    schedulePing(home.nanoTime());
                }
            }
            case PING -> {
                if (protocol == 3) {
                    write(List.of(Packet.of(PacketType.PONG, p.data())));
                    armPingTimeout(home.nanoTime() + options.pingInterval().plus(options.pingTimeout()).toNanos());
                }
            }
            case MESSAGE -> deliver(p.message().orElseThrow());
            case CLOSE -> close(CloseReason.TRANSPORT_CLOSE, "");
            default -> {
                // open, upgrade and noop mean nothing on an established transport
            }
        }
    }

    private void deliver(Message message) {
        if (listener == null) {
            return;
        }
        try {
            listener.onMessage(this, message);
        } catch (RuntimeException e) {
            log.warn("sid {}: message listener failed", id, e);
        }
    }

    // ---- WebSocket and upgrade (home) ----

    /** A WebSocket with this sid opened: it becomes the upgrade probe if the session allows one. */
    WebSocketConnection.Listener attachProbe(WebSocketConnection connection) {
        onHome(() -> {
            // A session the server is closing still takes its client's upgrade, as engine.io does:
            // the probe is answered before this check runs, so the client may already have paused
            // polling, and a refused probe would leave it waiting for the queue forever.
            boolean closingByServer = state == State.CLOSING && lastPacket == Packet.CLOSE;
            if (!(state == State.OPEN || closingByServer) || !POLLING.equals(transport) || probe != null) {
                log.debug("sid {}: refusing a WebSocket in state {} on {}", id, state, transport);
                connection.close();
                return;
            }
            probe = connection;
            upgradeTimer = home.schedule(() -> dropProbe(connection, "upgrade timeout"), options.upgradeTimeout());
        });
        return listenerFor(connection, true);
    }

    private WebSocketConnection.Listener listenerFor(WebSocketConnection connection, boolean probing) {
        return new WebSocketConnection.Listener() {
            // Owned by the connection's event loop.
            private boolean probeAnswered = !probing;

            @Override
            public void onText(String text) {
                if (!probeAnswered && "2probe".equals(text)) {
                    // Answer on the connection's own loop, before any hop: the client may poll right
                    // after, and 3probe must not trail behind what the home loop answers there.
                    probeAnswered = true;
                    connection.sendText(PacketCodec.webSocketText(Packet.PONG_PROBE));
                    onHome(() -> onProbeAnswered(connection));
                    return;
                }
                onHome(() -> onWebSocketText(connection, text));
            }

            @Override
            public void onBinary(byte[] data) {
                onHome(() -> onWebSocketBinary(connection, data));
            }

            @Override
            public void onClose(CloseReason reason, String description) {
                onHome(() -> onWebSocketClosed(connection, reason, description));
            }
        };
    }

    private void onWebSocketBinary(WebSocketConnection connection, byte[] data) {
        if (protocol != 3) {
            onWebSocketPacket(connection, PacketCodec.decodeBinary(data));
            return;
        }
        Packet p;
        try {
            p = Eio3Codec.decodeWebSocketBinary(data);
        } catch (MalformedPacketException e) {
            onMalformedFrame(connection, e);
            return;
        }
        onWebSocketPacket(connection, p);
    }

    private void onMalformedFrame(WebSocketConnection connection, MalformedPacketException e) {
        log.debug("sid {}: malformed WebSocket packet: {}", id, e.getMessage());
        if (connection == webSocket) {
            close(CloseReason.PARSE_ERROR, e.getMessage());
        } else {
            dropProbe(connection, "malformed probe packet");
        }
    }

    private void onWebSocketText(WebSocketConnection connection, String text) {
        Packet p;
        try {
            p = protocol == 3 ? Eio3Codec.decodeText(text) : PacketCodec.decodeText(text);
        } catch (MalformedPacketException e) {
            onMalformedFrame(connection, e);
            return;
        }
        onWebSocketPacket(connection, p);
    }

    private void onWebSocketPacket(WebSocketConnection connection, Packet p) {
        if (connection == webSocket && WEBSOCKET.equals(transport)) {
            onPacket(p);
        } else if (connection == probe) {
            onProbePacket(connection, p);
        }
        // anything else comes from a connection that is no longer ours: ignore it
    }

    private void onProbePacket(WebSocketConnection connection, Packet p) {
        if (p.type() == PacketType.UPGRADE && state == State.CLOSING) {
            // Closed while the client was switching: it stopped polling, so what is queued goes
            // over the new transport, then the close.
            probe = null;
            webSocket = connection;
            transport = WEBSOCKET;
            cancel(drainTimer);
            closeWebSocket(connection, false);
        } else if (p.type() == PacketType.UPGRADE && (state == State.UPGRADING || state == State.OPEN)) {
            cancel(upgradeTimer);
            if (parkedGet != null) {
                EngineRequest get = parkedGet;
                parkedGet = null;
                respondPayload(get, List.of(Packet.NOOP));
            }
            probe = null;
            webSocket = connection;
            transport = WEBSOCKET;
            state = State.OPEN;
            log.debug("sid {} upgraded to websocket", id);
            flush();
            notifyUpgrade();
        } else {
            dropProbe(connection, "unexpected packet during upgrade");
        }
    }

    /** The probe connection answered {@code 2probe} with {@code 3probe}: the upgrade has begun. */
    private void onProbeAnswered(WebSocketConnection connection) {
        if (connection == probe && state == State.CLOSING) {
            // No poll is parked while closing: the next one gets the queue, or the client upgrades.
            return;
        }
        if (connection != probe || state != State.OPEN) {
            dropProbe(connection, "probe in wrong state");
            return;
        }
        state = State.UPGRADING;
        if (parkedGet != null) {
            EngineRequest get = parkedGet;
            parkedGet = null;
            respondPayload(get, List.of(Packet.NOOP));
        }
    }

    private void dropProbe(WebSocketConnection connection, String why) {
        if (probe != connection) {
            return;
        }
        log.debug("sid {}: upgrade abandoned: {}", id, why);
        cancel(upgradeTimer);
        probe = null;
        connection.close();
        if (state == State.UPGRADING) {
            state = State.OPEN;
            flush();
        }
    }

    private void onWebSocketClosed(WebSocketConnection connection, CloseReason reason, String description) {
        if (connection == closingWebSocket) {
            finish();
        } else if (connection == probe) {
            dropProbe(connection, "probe closed");
        } else if (connection == webSocket) {
            webSocket = null;
            close(reason, description);
        }
    }

    // ---- closing (home) ----

    /**
     * Closes the session and tells the layer above (once). What was queued before the close still
     * reaches the client, as engine.io does: over WebSocket the close frame follows the frames
     * written before it; over polling the session stays CLOSING until the client has fetched the
     * queued messages and then, in a later poll, the close packet (never in the same payload: the
     * JS client handles a payload's close at once and its messages a tick later, so it would miss
     * them). A client that is upgrading gets them over its new WebSocket instead. Bounded by
     * {@link #CLOSE_TIMEOUT}; a client that closed first, or that does not read, gets nothing.
     */
    void close(CloseReason reason, String description) {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        boolean clientSide = reason == CloseReason.TRANSPORT_CLOSE || reason == CloseReason.TRANSPORT_ERROR;
        boolean slow = reason == CloseReason.SLOW_CONSUMER;
        cancel(pingTimer);
        cancel(pingTimeoutTimer);
        cancel(upgradeTimer);
        budget.cancel();
        if (clientSide || slow) {
            buffer.clear();
            budget.drained();
        } else {
            // Pings and pongs mean nothing to a client that is being closed.
            buffer.removeIf(p -> p.type() != PacketType.MESSAGE);
        }
        state = State.CLOSING;
        closeReason = reason;
        if (webSocket != null) {
            closeWebSocket(webSocket, slow);
        } else if (POLLING.equals(transport) && lingers(reason)) {
            // The client's poll may have crossed its own close packet on the wire (two
            // connections): it is answered noop, as if it had arrived first.
            lastPacket = reason == CloseReason.TRANSPORT_CLOSE ? Packet.NOOP : Packet.CLOSE;
            drainTimer = home.schedule(this::finish, CLOSE_TIMEOUT);
            if (parkedGet != null) {
                EngineRequest get = parkedGet;
                parkedGet = null;
                answerClosingPoll(get);
            }
        } else {
            if (parkedGet != null) {
                EngineRequest get = parkedGet;
                parkedGet = null;
                // An error close: the session is gone at once (the next request gets 400, as the
                // protocol suite checks); the parked poll carries what it can.
                respondPayload(get, clientSide ? List.of(Packet.NOOP) : withClose(drainBuffer()));
            }
            finish();
        }
        log.debug("sid {} closed: {}", id, reason.wire());
        if (listener != null) {
            EngineSocketListener l = listener;
            listener = null;
            notifyClose(l, reason, description);
        }
    }

    /**
     * Writes what is queued, then closes: the connection sends the close frame after the frames
     * written before it, and gives up on a peer that does not read. A slow consumer is cut at once.
     */
    private void closeWebSocket(WebSocketConnection ws, boolean abort) {
        webSocket = null;
        if (abort) {
            ws.abort();
            finish();
            return;
        }
        Packet p;
        while ((p = buffer.poll()) != null) {
            writeFrame(ws, p);
        }
        budget.drained();
        closingWebSocket = ws;
        drainTimer = home.schedule(this::finish, CLOSE_TIMEOUT);
        ws.close();
    }

    /**
     * Whether a polling session stays CLOSING after this close: when the application or the server
     * closed it (what it queued must still reach the client), or when the client did (its last
     * poll may still be on the way). Error closes end the session at once.
     */
    private static boolean lingers(CloseReason reason) {
        return switch (reason) {
            case FORCED_CLOSE, SERVER_SHUTTING_DOWN, PROTOCOL_ERROR, TRANSPORT_CLOSE -> true;
            default -> false;
        };
    }

    private static List<Packet> withClose(List<Packet> packets) {
        List<Packet> out = new ArrayList<>(packets);
        out.add(Packet.CLOSE);
        return out;
    }

    /** A poll of a CLOSING session: the queued messages first, the close packet in the next one. */
    private void answerClosingPoll(EngineRequest get) {
        if (!buffer.isEmpty()) {
            respondPayload(get, drainBuffer());
            return;
        }
        respondPayload(get, List.of(lastPacket));
        finish();
    }

    private void notifyUpgrade() {
        EngineSocketListener l = listener;
        if (l == null) {
            return;
        }
        try {
            l.onUpgrade(this, transport);
        } catch (RuntimeException e) {
            log.warn("sid {}: upgrade listener failed", id, e);
        }
    }

    private void notifyClose(EngineSocketListener l, CloseReason reason, String description) {
        try {
            l.onClose(this, reason, description);
        } catch (RuntimeException e) {
            log.warn("sid {}: close listener failed", id, e);
        }
    }

    /** Ends a CLOSING session for good: whatever the client has not fetched by now is dropped. */
    private void finish() {
        if (state == State.CLOSED) {
            return;
        }
        cancel(drainTimer);
        cancel(upgradeTimer);
        if (closingWebSocket != null) {
            // Closed already, or its peer has not taken the close frame within CLOSE_TIMEOUT.
            closingWebSocket.abort();
            closingWebSocket = null;
        }
        if (probe != null) {
            probe.close();
            probe = null;
        }
        if (parkedGet != null) {
            EngineRequest get = parkedGet;
            parkedGet = null;
            respondPayload(get, List.of(Packet.NOOP));
        }
        buffer.clear();
        budget.drained();
        lastPacket = null;
        state = State.CLOSED;
        server.remove(this);
    }

    private static void cancel(Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    @Override
    public String toString() {
        return "EngineSession[" + id + ", " + transport + ", " + state + "]";
    }
}
