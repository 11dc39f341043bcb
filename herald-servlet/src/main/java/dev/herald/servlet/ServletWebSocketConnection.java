package dev.herald.servlet;

import dev.herald.engineio.transport.SessionExecutor;
import dev.herald.engineio.transport.WebSocketConnection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's view of one Jakarta WebSocket session. Frames go out through the container's async
 * send, one at a time (Tomcat refuses a second async send while one is in flight), from a queue
 * that any thread may add to; the bytes queued or in flight are this connection's outbound buffer,
 * which the engine's slow-consumer policy reads. A send completes once the container has handed
 * the frame to the socket, so a peer that does not read leaves them counted.
 *
 * <p>The close frame is queued behind the frames written before it; a peer that does not take
 * it within a second is cut off, as in herald-netty.
 */
final class ServletWebSocketConnection implements WebSocketConnection {

    private static final Logger log = LoggerFactory.getLogger(ServletWebSocketConnection.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
    private static final Frame CLOSE = new Frame(null, null, 0, null);
    // The last text frame this thread decoded: a broadcast hands every recipient the same array,
    // and a loop writes it to all of its connections in a row, so it is decoded once per loop.
    private static final ThreadLocal<Object[]> LAST_TEXT = ThreadLocal.withInitial(() -> new Object[2]);

    private final Session session;
    private final SessionExecutor executor;
    private final long highWaterMark;
    private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
    // Bytes queued or in flight; any thread.
    private final AtomicLong pending = new AtomicLong();
    // Held by whichever thread sends the next frame; released when the queue is found empty.
    private final AtomicBoolean sending = new AtomicBoolean();
    // Any thread: set once close() or abort() ran; later writes are dropped.
    private final AtomicBoolean closing = new AtomicBoolean();
    private final SendHandler onSent = this::onSent;
    // Written by the sender holding {@link #sending}, read by the container thread that completes it.
    private volatile Frame inFlight;

    ServletWebSocketConnection(Session session, SessionExecutor executor, long highWaterMark) {
        this.session = session;
        this.executor = executor;
        this.highWaterMark = highWaterMark;
    }

    @Override
    public SessionExecutor executor() {
        return executor;
    }

    @Override
    public void sendText(byte[] utf8) {
        if (!closing.get()) {
            enqueue(new Frame(null, text(utf8), utf8.length, null));
        }
    }

    @Override
    public void sendBinary(byte[] data) {
        if (!closing.get()) {
            enqueue(new Frame(data, null, data.length, null));
        }
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            enqueue(CLOSE);
            try {
                executor.schedule(
                        () -> {
                            if (session.isOpen()) {
                                log.debug(
                                        "WebSocket {} did not take its close frame within {}; aborting",
                                        session.getId(),
                                        CLOSE_GRACE);
                                abortNow();
                            }
                        },
                        CLOSE_GRACE);
            } catch (RejectedExecutionException e) {
                // The transport is stopping; the container closes its sessions itself.
            }
        }
    }

    @Override
    public void whenWritten(Runnable callback) {
        if (closing.get()) {
            callback.run();
        } else {
            // A marker behind the frames queued so far: sends go one at a time, so when the
            // sender reaches it, every frame before it has been sent.
            enqueue(new Frame(null, null, 0, callback));
        }
    }

    @Override
    public void abort() {
        closing.set(true);
        Frame f;
        while ((f = queue.poll()) != null) {
            if (f.written() != null) {
                f.written().run();
            }
        }
        abortNow();
    }

    @Override
    public boolean isWritable() {
        return pending.get() <= highWaterMark;
    }

    @Override
    public long bufferedBytes() {
        return pending.get();
    }

    private void enqueue(Frame f) {
        pending.addAndGet(f.size());
        queue.add(f);
        sendNext();
    }

    /** Sends the next frame unless one is in flight; any thread. */
    private void sendNext() {
        while (sending.compareAndSet(false, true)) {
            Frame f = queue.poll();
            if (f == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue; // a frame came in between the poll and the release
            }
            if (f.written() != null) {
                sending.set(false);
                f.written().run();
                continue;
            }
            inFlight = f;
            try {
                if (f == CLOSE) {
                    closeSession(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
                    return; // nothing is sent after the close frame: the token stays taken
                }
                if (f.text() != null) {
                    session.getAsyncRemote().sendText(f.text(), onSent);
                } else {
                    session.getAsyncRemote().sendBinary(ByteBuffer.wrap(f.binary()), onSent);
                }
            } catch (RuntimeException e) {
                log.debug("WebSocket {} send failed", session.getId(), e);
                abort();
            }
            return;
        }
    }

    /** The container finished sending {@link #inFlight}; on a container thread, or inline in the send. */
    private void onSent(SendResult result) {
        Frame f = inFlight;
        inFlight = null;
        pending.addAndGet(-f.size());
        sending.set(false);
        if (!result.isOK()) {
            log.debug("WebSocket {} send failed", session.getId(), result.getException());
            abort();
            return;
        }
        if (!queue.isEmpty()) {
            // Not inline: a container that completes sends at once would otherwise recurse per frame.
            try {
                executor.execute(this::sendNext);
            } catch (RejectedExecutionException e) {
                sendNext();
            }
        }
    }

    private void abortNow() {
        // Jakarta WebSocket has no abort; a close with 1006 is not allowed on the wire, so "going away"
        // ends it. The close may block on a full socket, which must not hold a loop.
        closeSession(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "slow consumer"));
    }

    private void closeSession(CloseReason reason) {
        Thread.ofVirtual().name("herald-ws-close").start(() -> {
            try {
                session.close(reason);
            } catch (IOException | RuntimeException e) {
                log.debug("WebSocket {} close failed", session.getId(), e);
            }
        });
    }

    /** Jakarta WebSocket sends text as a String: the engine's UTF-8 bytes, decoded once per loop. */
    private static String text(byte[] utf8) {
        Object[] last = LAST_TEXT.get();
        if (last[0] == utf8) {
            return (String) last[1];
        }
        String text = new String(utf8, StandardCharsets.UTF_8);
        last[0] = utf8;
        last[1] = text;
        return text;
    }

    /**
     * A queued frame: binary or text; neither for the close marker, and neither for a
     * {@link #whenWritten} marker, which carries its callback. {@code size}: its bytes on the wire.
     */
    private record Frame(byte[] binary, String text, long size, Runnable written) {}
}
