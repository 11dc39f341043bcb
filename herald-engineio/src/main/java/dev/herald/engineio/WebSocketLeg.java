package dev.herald.engineio;

import dev.herald.engineio.EngineSession.State;
import dev.herald.engineio.parser.Eio3Codec;
import dev.herald.engineio.parser.MalformedPacketException;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketCodec;
import dev.herald.engineio.parser.PacketType;
import dev.herald.engineio.transport.SessionExecutor.Cancellable;
import dev.herald.engineio.transport.WebSocketConnection;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of one session: the connection it runs on, the upgrade from polling (the
 * probe, {@code 2probe}/{@code 3probe}, then {@code 5}), and the connection that sends what was
 * queued and then its close frame when the session closes.
 *
 * <p>Threading: every method and field is owned by the session's home loop, except
 * {@link #listenerFor}'s listener (the connection's loop; it hops to home) and the volatile fields,
 * which {@link #current()} and {@link #bufferedBytes()} read from any thread.
 */
final class WebSocketLeg {

    private static final Logger log = LoggerFactory.getLogger(WebSocketLeg.class);
    // engine.io's interval: how long an upgrading session leaves an empty poll parked, so that the
    // upgrade packet, if already on its way, is seen before the poll is answered.
    static final Duration POLL_CYCLE_WHILE_UPGRADING = Duration.ofMillis(100);

    private final EngineSession session;
    // The session's transport once it runs on WebSocket. Written on home; volatile because
    // bufferedBytes() reads it from any thread.
    private volatile WebSocketConnection webSocket;
    // Home only: a WebSocket with this sid that may become the transport, and its deadline.
    private WebSocketConnection probe;
    private Cancellable upgradeTimer;
    // Home only: while upgrading, the next forced poll cycle (see forcePollCycle).
    private Cancellable pollCycleTimer;
    // In CLOSING state over WebSocket: the connection that is sending what was queued and then its
    // close frame; the session ends when it reports closed, or is aborted at CLOSE_TIMEOUT.
    // Written on home; volatile because bufferedBytes() reads it from any thread.
    private volatile WebSocketConnection closingWebSocket;

    WebSocketLeg(EngineSession session) {
        this.session = session;
    }

    /** The connection the session runs on; null before an upgrade, over polling, and once closing. */
    WebSocketConnection current() {
        return webSocket;
    }

    /** Bytes written to the session's WebSocket (or the one closing) and not yet sent; any thread. */
    long bufferedBytes() {
        WebSocketConnection ws = webSocket;
        return session.outbound().bufferedBytes(ws != null ? ws : closingWebSocket);
    }

    /** A WebSocket handshake opened the session on this connection. */
    WebSocketConnection.Listener open(WebSocketConnection connection, Packet openPacket) {
        webSocket = connection;
        session.heartbeat().start();
        connection.sendText(PacketCodec.webSocketText(openPacket));
        return listenerFor(connection, false);
    }

    /** Writes what is queued, if this is the session's transport and it is not switching. */
    void flush() {
        if (webSocket != null && session.state() == State.OPEN) {
            session.outbound().writeTo(webSocket);
        }
    }

    /** A WebSocket with this sid opened: it becomes the upgrade probe if the session allows one. */
    WebSocketConnection.Listener attachProbe(WebSocketConnection connection) {
        session.onHome(() -> {
            // A session the server is closing still takes its client's upgrade, as engine.io does:
            // the probe is answered before this check runs, so the client may already have paused
            // polling, and a refused probe would leave it waiting for the queue forever.
            State state = session.state();
            boolean closingByServer = state == State.CLOSING && session.lastPacket() == Packet.CLOSE;
            if (!(state == State.OPEN || closingByServer)
                    || !EngineSession.POLLING.equals(session.transport())
                    || probe != null) {
                log.debug("sid {}: refusing a WebSocket in state {} on {}", session.id(), state, session.transport());
                connection.close();
                return;
            }
            probe = connection;
            upgradeTimer = session.home()
                    .schedule(
                            () -> dropProbe(connection, "upgrade timeout"),
                            session.options().upgradeTimeout());
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
                    session.onHome(() -> onProbeAnswered(connection));
                    return;
                }
                session.onHome(() -> onTextFrame(connection, text));
            }

            @Override
            public void onBinary(byte[] data) {
                session.onHome(() -> onBinaryFrame(connection, data));
            }

            @Override
            public void onClose(CloseReason reason, String description) {
                session.onHome(() -> onClosed(connection, reason, description));
            }
        };
    }

    private void onBinaryFrame(WebSocketConnection connection, byte[] data) {
        if (session.protocol() != 3) {
            onPacket(connection, PacketCodec.decodeBinary(data));
            return;
        }
        Packet p;
        try {
            p = Eio3Codec.decodeWebSocketBinary(data);
        } catch (MalformedPacketException e) {
            onMalformedFrame(connection, e);
            return;
        }
        onPacket(connection, p);
    }

    private void onMalformedFrame(WebSocketConnection connection, MalformedPacketException e) {
        log.debug("sid {}: malformed WebSocket packet: {}", session.id(), e.getMessage());
        if (connection == webSocket) {
            session.close(CloseReason.PARSE_ERROR, e.getMessage());
        } else {
            dropProbe(connection, "malformed probe packet");
        }
    }

    private void onTextFrame(WebSocketConnection connection, String text) {
        Packet p;
        try {
            p = session.protocol() == 3 ? Eio3Codec.decodeText(text) : PacketCodec.decodeText(text);
        } catch (MalformedPacketException e) {
            onMalformedFrame(connection, e);
            return;
        }
        onPacket(connection, p);
    }

    private void onPacket(WebSocketConnection connection, Packet p) {
        if (connection == webSocket && EngineSession.WEBSOCKET.equals(session.transport())) {
            session.onPacket(p);
        } else if (connection == probe) {
            onProbePacket(connection, p);
        }
        // anything else comes from a connection that is no longer ours: ignore it
    }

    private void onProbePacket(WebSocketConnection connection, Packet p) {
        State state = session.state();
        if (p.type() == PacketType.UPGRADE && state == State.CLOSING) {
            // Closed while the client was switching: it stopped polling, so what is queued goes
            // over the new transport, then the close.
            probe = null;
            webSocket = connection;
            session.transport(EngineSession.WEBSOCKET);
            session.cancelDrainTimer();
            closeAfterQueue(connection, false);
        } else if (p.type() == PacketType.UPGRADE && (state == State.UPGRADING || state == State.OPEN)) {
            cancelUpgradeTimers();
            session.polling().refuseParkedAfterUpgrade();
            probe = null;
            webSocket = connection;
            session.transport(EngineSession.WEBSOCKET);
            session.state(State.OPEN);
            log.debug("sid {} upgraded to websocket", session.id());
            session.flush();
            session.notifyUpgrade();
        } else {
            dropProbe(connection, "unexpected packet during upgrade");
        }
    }

    /** The probe connection answered {@code 2probe} with {@code 3probe}: the upgrade has begun. */
    private void onProbeAnswered(WebSocketConnection connection) {
        if (connection == probe && session.state() == State.CLOSING) {
            // No poll is parked while closing: the next one gets the queue, or the client upgrades.
            return;
        }
        if (connection != probe || session.state() != State.OPEN) {
            dropProbe(connection, "probe in wrong state");
            return;
        }
        session.state(State.UPGRADING);
        schedulePollCycle(connection);
    }

    /**
     * The client answers 3probe by pausing its polling: it waits for its open poll to be answered
     * before it sends the upgrade packet. That poll is answered noop after a short wait, not at
     * once: the client may have sent the upgrade packet already, followed by a poll (the protocol
     * suite does), and frames read on another thread than the poll's may reach this loop after it.
     * Answered at once, that poll would get 200 where the upgrade's refusal, 400, is due.
     */
    private void schedulePollCycle(WebSocketConnection connection) {
        pollCycleTimer = session.home().schedule(() -> forcePollCycle(connection), POLL_CYCLE_WHILE_UPGRADING);
    }

    private void forcePollCycle(WebSocketConnection connection) {
        if (connection != probe || session.state() != State.UPGRADING) {
            return;
        }
        session.polling().answerParked(List.of(Packet.NOOP));
        schedulePollCycle(connection);
    }

    private void cancelUpgradeTimers() {
        EngineSession.cancel(upgradeTimer);
        EngineSession.cancel(pollCycleTimer);
        pollCycleTimer = null;
    }

    private void dropProbe(WebSocketConnection connection, String why) {
        if (probe != connection) {
            return;
        }
        log.debug("sid {}: upgrade abandoned: {}", session.id(), why);
        cancelUpgradeTimers();
        probe = null;
        connection.close();
        if (session.state() == State.UPGRADING) {
            session.state(State.OPEN);
            session.flush();
        }
    }

    private void onClosed(WebSocketConnection connection, CloseReason reason, String description) {
        if (connection == closingWebSocket) {
            session.finish();
        } else if (connection == probe) {
            dropProbe(connection, "probe closed");
        } else if (connection == webSocket) {
            webSocket = null;
            session.close(reason, description);
        }
    }

    /**
     * The session is closing. Returns false when it does not run on a WebSocket (polling closes
     * its own way); otherwise the WebSocket sends what is queued and then its close frame, or, for
     * a slow consumer, is cut at once.
     */
    boolean close(boolean abort) {
        cancelUpgradeTimers();
        WebSocketConnection ws = webSocket;
        if (ws == null) {
            return false;
        }
        closeAfterQueue(ws, abort);
        return true;
    }

    /**
     * Writes what is queued, then closes: the connection sends the close frame after the frames
     * written before it, and gives up on a peer that does not read. A slow consumer is cut at once.
     */
    private void closeAfterQueue(WebSocketConnection ws, boolean abort) {
        webSocket = null;
        if (abort) {
            ws.abort();
            session.finish();
            return;
        }
        session.outbound().writeTo(ws);
        closingWebSocket = ws;
        session.startDrainTimer();
        ws.close();
    }

    /** The session ended: a closing connection that has not finished is cut, a probe closed. */
    void finish() {
        cancelUpgradeTimers();
        if (closingWebSocket != null) {
            // Closed already, or its peer has not taken the close frame within CLOSE_TIMEOUT.
            closingWebSocket.abort();
            closingWebSocket = null;
        }
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }
}
