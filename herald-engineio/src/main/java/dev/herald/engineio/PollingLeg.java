package dev.herald.engineio;

import dev.herald.engineio.EngineSession.State;
import dev.herald.engineio.parser.MalformedPacketException;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketType;
import dev.herald.engineio.transport.EngineError;
import dev.herald.engineio.transport.EngineRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP long-polling side of one session: the GET parked until there is something to send,
 * the POSTs of packets, and the polls of a session that is closing. A session keeps this part
 * after an upgrade; a poll then gets 400.
 *
 * <p>Threading: every method and field is owned by the session's home loop.
 */
final class PollingLeg {

    private static final Logger log = LoggerFactory.getLogger(PollingLeg.class);
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    private final EngineSession session;
    // Home only: the poll waiting for something to send; null when none waits.
    private EngineRequest parkedGet;

    PollingLeg(EngineSession session) {
        this.session = session;
    }

    /** A GET or POST on the polling transport of this session. */
    void onRequest(EngineRequest req) {
        if (session.isOpen() && session.heartbeat().deadlinePassed()) {
            session.close(CloseReason.PING_TIMEOUT, "");
            respondError(req, EngineError.UNKNOWN_SID);
            return;
        }
        if (session.state() == State.CLOSED) {
            respondError(req, EngineError.UNKNOWN_SID);
            return;
        }
        if (!EngineSession.POLLING.equals(session.transport())) {
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
        if (session.state() == State.CLOSING) {
            answerClosingPoll(get);
            return;
        }
        if (parkedGet != null) {
            // Two polls at once: the client is broken. The first learns of the close, the second is refused.
            respond(takeParked(), List.of(Packet.CLOSE));
            respondError(get, EngineError.BAD_REQUEST);
            session.close(CloseReason.POLLING_ERROR, "overlapping poll requests");
            return;
        }
        // While upgrading, an empty poll waits too: the upgrade's poll cycle answers it noop (see
        // WebSocketLeg), unless the upgrade completes first and refuses it.
        if (!session.outbound().isEmpty()) {
            respond(get, session.outbound().drain());
            return;
        }
        parkedGet = get;
    }

    /** The connection of a request went away before it was answered. */
    void onRequestAborted(EngineRequest req) {
        if (parkedGet == req) {
            parkedGet = null;
            session.close(CloseReason.TRANSPORT_ERROR, "poll connection closed prematurely");
        }
    }

    private void onPost(EngineRequest post) {
        if (session.state() == State.CLOSING && session.closeReason() == CloseReason.TRANSPORT_CLOSE) {
            // The client closed: it has nothing more to say.
            respondError(post, EngineError.UNKNOWN_SID);
            return;
        }
        List<Packet> packets;
        try {
            packets = PollingFormat.decode(post, session.protocol());
        } catch (MalformedPacketException e) {
            log.debug("sid {}: malformed polling payload: {}", session.id(), e.getMessage());
            respondError(post, EngineError.BAD_REQUEST);
            session.close(CloseReason.PARSE_ERROR, e.getMessage());
            return;
        }
        if (session.state() == State.CLOSING) {
            // The server closed; this was sent before the client learnt of it (a pong, its own
            // close): a refusal would fail its transport before it fetched what is queued. Only
            // its close matters now.
            post.respond(200, "text/html", OK);
            if (packets.stream().anyMatch(p -> p.type() == PacketType.CLOSE)) {
                session.finish();
            }
            return;
        }
        for (Packet p : packets) {
            if (!session.isOpen()) {
                break;
            }
            session.onPacket(p);
        }
        post.respond(200, "text/html", OK);
    }

    /**
     * Answers the parked poll with what is queued. Also while upgrading, as engine.io does: the
     * message is ready now, and a client that is pausing still reads its poll's answer.
     */
    void flush() {
        if (parkedGet != null) {
            respond(takeParked(), session.outbound().drain());
        }
    }

    /**
     * The session now runs on WebSocket: a poll still parked was sent after the client switched
     * (a client pauses polling, and waits for its open poll to be answered, before it sends the
     * upgrade packet), so it gets 400 as any later poll does.
     */
    void refuseParkedAfterUpgrade() {
        if (parkedGet != null) {
            respondError(takeParked(), EngineError.BAD_REQUEST);
        }
    }

    /** Answers the parked poll, if any, with these packets. */
    void answerParked(List<Packet> packets) {
        if (parkedGet != null) {
            respond(takeParked(), packets);
        }
    }

    /** The session began closing: a parked poll gets what is queued first, or the last packet. */
    void answerParkedWhileClosing() {
        if (parkedGet != null) {
            answerClosingPoll(takeParked());
        }
    }

    /**
     * Whether a poll is parked: an error close answers it with what it can, so the next request
     * gets 400 at once.
     */
    boolean hasParked() {
        return parkedGet != null;
    }

    /** A poll of a CLOSING session: the queued messages first, the close packet in the next one. */
    private void answerClosingPoll(EngineRequest get) {
        if (!session.outbound().isEmpty()) {
            respond(get, session.outbound().drain());
            return;
        }
        respond(get, List.of(session.lastPacket()));
        session.finish();
    }

    private EngineRequest takeParked() {
        EngineRequest get = parkedGet;
        parkedGet = null;
        return get;
    }

    private void respond(EngineRequest get, List<Packet> packets) {
        PollingFormat.respond(get, session.protocol(), packets, session.options());
    }

    /** Answers the open packet on a polling handshake. */
    void respondOpen(EngineRequest handshake, Packet open) {
        respond(handshake, List.of(open));
    }

    static void respondError(EngineRequest req, EngineError error) {
        req.respond(error.httpStatus(), "application/json", error.json().getBytes(StandardCharsets.UTF_8));
    }
}
