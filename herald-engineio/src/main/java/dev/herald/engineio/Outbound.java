package dev.herald.engineio;

import dev.herald.engineio.parser.Eio3Codec;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketCodec;
import dev.herald.engineio.parser.PacketType;
import dev.herald.engineio.transport.WebSocketConnection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one session has to send: the hand-off from other threads to the home loop (the outbox),
 * the queue of packets not yet written (the buffer), and its budget ({@link SlowConsumerPolicy}).
 * Where a flush writes to is the session's choice ({@link EngineSession#flush()}): the WebSocket,
 * or the parked poll.
 *
 * <p>Threading: owned by the session's home loop, except {@link #post} (any thread) and
 * {@link #bufferedBytes} (any thread); each field says who touches it.
 */
final class Outbound {

    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    private static final VarHandle OUTBOX_QUEUED;

    static {
        try {
            OUTBOX_QUEUED = MethodHandles.lookup().findVarHandle(Outbound.class, "outboxQueued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EngineSession session;
    private final SlowConsumerPolicy budget;
    // Any thread adds; home drains. outboxQueued is 1 while a drain is queued and not started
    // (an int behind a VarHandle: one object less per session).
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private volatile int outboxQueued;
    private final Runnable drainOutbox = this::drainOutbox;
    // Home only. Starts at two slots: an idle session queues nothing, and ArrayDeque grows when it must.
    private final ArrayDeque<Packet> buffer = new ArrayDeque<>(1);

    Outbound(EngineSession session, SlowConsumerPolicy budget) {
        this.session = session;
        this.budget = budget;
    }

    /** Packets handed over by another thread, waiting for the home loop. */
    record Outgoing(List<Packet> packets, boolean isVolatile) {}

    /**
     * Writes at once on home; from any other thread, queues the write and makes sure one hop to
     * home is on its way. Sends from handler threads thus cross to the loop in batches (one task
     * and one flush for everything queued meanwhile) rather than one task each, and still in order:
     * a drain is either queued before anything the sender hands to home afterwards, or it is
     * already running and has not yet polled.
     */
    void post(Outgoing out) {
        if (session.home().inExecutor()) {
            if (enqueue(out.packets(), out.isVolatile())) {
                flushAndCheck();
            }
            return;
        }
        outbox.add(out);
        if (OUTBOX_QUEUED.compareAndSet(this, 0, 1) && !session.onHome(drainOutbox)) {
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

    /** Drains the outbox on home now rather than in the drain already queued. */
    void drainNow() {
        drainOutbox();
    }

    /** A control packet of the session's own (ping, pong), written now. */
    void write(Packet packet) {
        if (enqueue(List.of(packet), false)) {
            flushAndCheck();
        }
    }

    /** Adds the packets to the buffer unless the session is closed or they are volatile and late. */
    private boolean enqueue(List<Packet> packets, boolean isVolatile) {
        if (!session.isOpen()) {
            return false;
        }
        if (isVolatile && budget.overHighWaterMark(session.webSocket())) {
            session.server().countDropped(packets.size());
            if (log.isTraceEnabled()) {
                log.trace(
                        "sid {}: dropped {} volatile message(s), client is not keeping up",
                        session.id(),
                        packets.size());
            }
            return false;
        }
        buffer.addAll(packets);
        budget.queued(packets);
        return true;
    }

    private void flushAndCheck() {
        session.flush();
        if (session.isOpen()) {
            budget.check(session.webSocket(), () -> session.isOpen() ? session.webSocket() : null);
        }
    }

    boolean isEmpty() {
        return buffer.isEmpty();
    }

    /** Takes everything queued, for a poll's answer. */
    List<Packet> drain() {
        List<Packet> out = new ArrayList<>(buffer);
        buffer.clear();
        budget.drained();
        return out;
    }

    /** Writes everything queued to this WebSocket, in order. */
    void writeTo(WebSocketConnection ws) {
        Packet p;
        while ((p = buffer.poll()) != null) {
            writeFrame(ws, p);
        }
        budget.drained();
    }

    private void writeFrame(WebSocketConnection ws, Packet p) {
        // Control packets may be compressed (as in the JS reference); only a message can opt out.
        boolean compress = p.message().map(Message::compress).orElse(true);
        if (p.isBinary()) {
            byte[] data = p.message().orElseThrow().binary();
            ws.sendBinary(session.protocol() == 3 ? Eio3Codec.encodeWebSocketBinary(data) : data, compress);
        } else {
            ws.sendText(PacketCodec.webSocketText(p), compress);
        }
    }

    /**
     * The session is closing: its timers stop, and what it still sends is only what the client
     * will read. A client that closed first, or a slow consumer, gets nothing more; otherwise the
     * messages stay, and pings and pongs, which mean nothing to a client being closed, go.
     */
    void onClose(boolean discardAll) {
        budget.cancel();
        if (discardAll) {
            buffer.clear();
            budget.drained();
        } else {
            buffer.removeIf(p -> p.type() != PacketType.MESSAGE);
        }
    }

    /** The session ended: whatever the client has not fetched by now is dropped. */
    void discard() {
        buffer.clear();
        budget.drained();
    }

    /**
     * Bytes waiting for this client: the session's own queue plus what this WebSocket has not sent
     * yet. An estimate (text is counted in chars); any thread.
     */
    long bufferedBytes(WebSocketConnection ws) {
        return budget.pending(ws);
    }
}
