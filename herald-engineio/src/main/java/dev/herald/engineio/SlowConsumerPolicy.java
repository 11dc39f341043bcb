package dev.herald.engineio;

import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.transport.SessionExecutor;
import dev.herald.engineio.transport.SessionExecutor.Cancellable;
import dev.herald.engineio.transport.WebSocketConnection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's outbound budget: the bytes queued in the session (for polling, or during an
 * upgrade) plus what its WebSocket has not sent yet, checked against
 * {@link EngineIoOptions#writeBufferHighWaterMark()}, {@link EngineIoOptions#slowConsumerTimeout()}
 * and {@link EngineIoOptions#slowConsumerMaxBuffer()}.
 *
 * <p>Threading: every method runs on the session's home loop, which owns {@link #timer}, except
 * {@link #pending}, which any thread may call (for {@link EngineIoServer#bufferedBytes()}).
 */
final class SlowConsumerPolicy {

    private static final Logger log = LoggerFactory.getLogger(SlowConsumerPolicy.class);

    private final EngineIoOptions options;
    private final SessionExecutor home;
    private final String sid;
    private final Runnable closeAsSlow;
    // Estimated bytes queued in the session; written on home, read from any thread.
    private volatile long queuedBytes;
    // Armed while the session is over the high-water mark.
    private Cancellable timer;

    /** {@code closeAsSlow} closes the session with {@link CloseReason#SLOW_CONSUMER}, on home. */
    SlowConsumerPolicy(EngineIoOptions options, SessionExecutor home, String sid, Runnable closeAsSlow) {
        this.options = options;
        this.home = home;
        this.sid = sid;
        this.closeAsSlow = closeAsSlow;
    }

    /** These packets were added to the session's queue. */
    void queued(List<Packet> packets) {
        long bytes = 0;
        for (Packet p : packets) {
            bytes += sizeOf(p);
        }
        queuedBytes += bytes;
    }

    /** The session's queue was emptied (written, answered to a poll, or discarded). */
    void drained() {
        queuedBytes = 0;
    }

    /** Bytes waiting for the client: the queue plus the WebSocket's unsent bytes. Any thread. */
    long pending(WebSocketConnection ws) {
        return queuedBytes + (ws == null ? 0 : ws.bufferedBytes());
    }

    /** Whether a volatile message to this client is to be dropped now. */
    boolean overHighWaterMark(WebSocketConnection ws) {
        return pending(ws) > options.writeBufferHighWaterMark() || ws != null && !ws.isWritable();
    }

    /**
     * After a write: over the hard bound the session closes now; over the high-water mark a timer
     * starts, and if the client is still over the low-water mark when it fires, the session closes.
     * {@code ws} is read again when the timer fires, through {@code current}.
     */
    void check(WebSocketConnection ws, Supplier<WebSocketConnection> current) {
        long pending = pending(ws);
        if (pending > options.slowConsumerMaxBuffer()) {
            log.debug("sid {}: {} bytes waiting, over slowConsumerMaxBuffer; closing", sid, pending);
            closeAsSlow.run();
        } else if (pending > options.writeBufferHighWaterMark() && timer == null) {
            timer = home.schedule(() -> onTimer(current.get()), options.slowConsumerTimeout());
        }
    }

    private void onTimer(WebSocketConnection ws) {
        timer = null;
        long pending = pending(ws);
        if (pending > options.writeBufferLowWaterMark()) {
            log.debug("sid {}: {} bytes still waiting after slowConsumerTimeout; closing", sid, pending);
            closeAsSlow.run();
        }
    }

    /** The session closed: no timer may fire any more. */
    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        queuedBytes = 0;
    }

    /** The size a packet adds to the queue: its payload (text in chars) plus its type, at least 1. */
    private static long sizeOf(Packet p) {
        return p.message()
                .map(m -> (long) (m.isBinary() ? m.binary().length : m.text().length()) + 1)
                .orElse(1L);
    }
}
