package dev.herald.engineio;

import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketType;
import dev.herald.engineio.transport.EngineRequest;
import dev.herald.engineio.transport.SessionExecutor;
import dev.herald.engineio.transport.SessionExecutor.Cancellable;
import dev.herald.engineio.transport.WebSocketConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session: its state machine (opening, open, upgrading, closing, closed), what it
 * tells the layer above, and how it closes. Its parts, each in its own class and owning its own
 * fields: {@link Outbound} (the write queue and its budget), {@link Heartbeat}, {@link PollingLeg}
 * and {@link WebSocketLeg} (with the upgrade).
 *
 * <p>Threading: every field below, and every field of the parts, is owned by {@link #home}, the
 * session's home event loop, unless its comment says otherwise. Transports and the layer above
 * call in from any thread; each entry point hops to the home loop first, so no field is ever
 * touched concurrently.
 */
final class EngineSession implements EngineSocket {

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);
    static final String POLLING = "polling";
    static final String WEBSOCKET = "websocket";
    /**
     * How long a closing session waits for its client to fetch what was queued before the close
     * (and, over polling, the close packet itself) before its sid is forgotten: a client that stops
     * reading must not hold the session.
     */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    enum State {
        OPENING,
        OPEN,
        UPGRADING,
        CLOSING,
        CLOSED
    }

    private final EngineIoServer server;
    private final String id;
    private final int protocol;
    private final HandshakeRequest request;
    private final SessionExecutor home;
    // The parts; the options are the server's, read through it (one field less per session).
    private final Outbound outbound;
    private final Heartbeat heartbeat;
    private final PollingLeg polling;
    private final WebSocketLeg webSockets;

    // Written on home, read from any thread (isOpen, transport, request routing).
    private volatile State state = State.OPENING;
    private volatile String transport;

    private EngineSocketListener listener;
    // Set once, when the session closes.
    private CloseReason closeReason;
    // In CLOSING state over polling: what the poll after the queued messages gets (close, or noop
    // when the client closed first); null in any other state.
    private Packet lastPacket;
    // In CLOSING state: ends the session if the client has not fetched the rest by CLOSE_TIMEOUT.
    private Cancellable drainTimer;

    EngineSession(
            EngineIoServer server,
            String id,
            int protocol,
            HandshakeRequest request,
            SessionExecutor home,
            String transport) {
        this.server = server;
        this.id = id;
        this.protocol = protocol;
        this.request = request;
        this.home = home;
        this.transport = transport;
        SlowConsumerPolicy budget = new SlowConsumerPolicy(
                server.options(),
                home,
                id,
                () -> close(CloseReason.SLOW_CONSUMER, "client does not read what is sent to it"));
        this.outbound = new Outbound(this, budget);
        this.heartbeat = new Heartbeat(this);
        this.polling = new PollingLeg(this);
        this.webSockets = new WebSocketLeg(this);
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
        outbound.post(
                new Outbound.Outgoing(List.of(Packet.message(Objects.requireNonNull(message, "message"))), false));
    }

    @Override
    public void send(List<Message> messages) {
        outbound.post(new Outbound.Outgoing(toPackets(messages), false));
    }

    @Override
    public void sendVolatile(Message message) {
        outbound.post(new Outbound.Outgoing(List.of(Packet.message(Objects.requireNonNull(message, "message"))), true));
    }

    @Override
    public void sendVolatile(List<Message> messages) {
        outbound.post(new Outbound.Outgoing(toPackets(messages), true));
    }

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
        return webSockets.bufferedBytes();
    }

    @Override
    public void whenSent(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        boolean queued = onHome(() -> {
            // What other threads sent before this call is in the outbox or already written.
            outbound.drainNow();
            WebSocketConnection ws = WEBSOCKET.equals(transport) && isOpen() ? webSocket() : null;
            if (ws != null) {
                ws.whenWritten(callback);
            } else {
                callback.run();
            }
        });
        if (!queued) {
            callback.run();
        }
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
        } catch (RejectedExecutionException e) {
            log.debug("home loop gone, task dropped, sid={}", id);
            return false;
        }
    }

    // ---- what the parts share (home) ----

    EngineIoServer server() {
        return server;
    }

    EngineIoOptions options() {
        return server.options();
    }

    State state() {
        return state;
    }

    void state(State value) {
        state = value;
    }

    void transport(String value) {
        transport = value;
    }

    CloseReason closeReason() {
        return closeReason;
    }

    Packet lastPacket() {
        return lastPacket;
    }

    Outbound outbound() {
        return outbound;
    }

    Heartbeat heartbeat() {
        return heartbeat;
    }

    PollingLeg polling() {
        return polling;
    }

    /** The WebSocket the session runs on, if any (see {@link WebSocketLeg#current()}). */
    WebSocketConnection webSocket() {
        return webSockets.current();
    }

    /** Writes what is queued to the current transport: the WebSocket, or the parked poll. */
    void flush() {
        if (outbound.isEmpty()) {
            return;
        }
        if (WEBSOCKET.equals(transport)) {
            webSockets.flush();
        } else {
            polling.flush();
        }
    }

    // ---- transport entry points (home) ----

    /** Writes the open packet on the handshake transport, then tells the layer above. */
    void open(EngineRequest handshake) {
        heartbeat.start();
        polling.respondOpen(handshake, openPacket(true));
        notifyOpen();
    }

    /** Writes the open packet on a WebSocket handshake, then tells the layer above. */
    WebSocketConnection.Listener open(WebSocketConnection connection) {
        WebSocketConnection.Listener l = webSockets.open(connection, openPacket(false));
        notifyOpen();
        return l;
    }

    /** A GET or POST on the polling transport of this session. */
    void onPollingRequest(EngineRequest req) {
        polling.onRequest(req);
    }

    /** The connection of a request went away before it was answered. */
    void onRequestAborted(EngineRequest req) {
        polling.onRequestAborted(req);
    }

    /** A WebSocket with this sid opened: it becomes the upgrade probe if the session allows one. */
    WebSocketConnection.Listener attachProbe(WebSocketConnection connection) {
        return webSockets.attachProbe(connection);
    }

    /** The handshake: exactly the five keys of the spec; websocket is offered to polling sessions. */
    private Packet openPacket(boolean offerWebSocket) {
        EngineIoOptions options = server.options();
        StringBuilder json = new StringBuilder("{\"sid\":\"").append(id).append("\",\"upgrades\":[");
        if (offerWebSocket && options.allows(WEBSOCKET)) {
            json.append("\"websocket\"");
        }
        json.append("],\"pingInterval\":")
                .append(options.pingInterval().toMillis())
                .append(",\"pingTimeout\":")
                .append(options.pingTimeout().toMillis())
                .append(",\"maxPayload\":")
                .append(options.maxHttpBufferSize())
                .append('}');
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

    // ---- packets from the active transport (home) ----

    void onPacket(Packet p) {
        if (!isOpen()) {
            return;
        }
        if (log.isTraceEnabled()) {
            log.trace("sid {} received {}", id, p);
        }
        switch (p.type()) {
            case PONG -> heartbeat.onPong();
            case PING -> heartbeat.onPing(p);
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

    void notifyUpgrade() {
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
        heartbeat.stop();
        outbound.onClose(clientSide || slow);
        state = State.CLOSING;
        closeReason = reason;
        if (webSockets.close(slow)) {
            // The WebSocket sends the queue and its close frame, or was cut.
        } else if (POLLING.equals(transport) && lingers(reason)) {
            // The client's poll may have crossed its own close packet on the wire (two
            // connections): it is answered noop, as if it had arrived first.
            lastPacket = reason == CloseReason.TRANSPORT_CLOSE ? Packet.NOOP : Packet.CLOSE;
            startDrainTimer();
            polling.answerParkedWhileClosing();
        } else {
            if (polling.hasParked()) {
                // An error close: the session is gone at once (the next request gets 400, as the
                // protocol suite checks); the parked poll carries what it can.
                polling.answerParked(clientSide ? List.of(Packet.NOOP) : withClose(outbound.drain()));
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

    void startDrainTimer() {
        drainTimer = home.schedule(this::finish, CLOSE_TIMEOUT);
    }

    void cancelDrainTimer() {
        cancel(drainTimer);
    }

    private void notifyClose(EngineSocketListener l, CloseReason reason, String description) {
        try {
            l.onClose(this, reason, description);
        } catch (RuntimeException e) {
            log.warn("sid {}: close listener failed", id, e);
        }
    }

    /** Ends a CLOSING session for good: whatever the client has not fetched by now is dropped. */
    void finish() {
        if (state == State.CLOSED) {
            return;
        }
        cancel(drainTimer);
        webSockets.finish();
        polling.answerParked(List.of(Packet.NOOP));
        outbound.discard();
        lastPacket = null;
        state = State.CLOSED;
        server.remove(this);
    }

    static void cancel(Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    @Override
    public String toString() {
        return "EngineSession[" + id + ", " + transport + ", " + state + "]";
    }
}
