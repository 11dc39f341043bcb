package dev.herald.engineio.transport;

import dev.herald.engineio.CloseReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link WebSocketConnection} made by a test, in process: it records the frames the engine
 * writes, and feeds the engine's listener on its executor as a transport does
 * ({@link #receive(String)}, {@link #peerClosed(CloseReason)}). Writability and buffered bytes are
 * set by the test, to play a peer that does not read.
 *
 * <p>Threading: the engine may call the connection from any thread; the test drives it from one.
 */
public final class FakeWebSocketConnection implements WebSocketConnection {

    /** One frame the engine wrote: text (UTF-8) or binary, and whether it may be compressed. */
    public record Frame(boolean binary, byte[] data, boolean compress) {
        /** The frame as text. */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final SessionExecutor executor;
    // Engine writes (any thread), test reads; guarded by this.
    private final List<Frame> frames = new ArrayList<>();
    private int taken;
    private volatile boolean closed;
    private volatile boolean aborted;
    private volatile boolean writable = true;
    private volatile long bufferedBytes;
    // Set once by the test, right after the engine hands it over.
    private volatile Listener listener;

    public FakeWebSocketConnection(SessionExecutor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Gives the connection the listener the engine returned for it. */
    public FakeWebSocketConnection listener(Listener value) {
        this.listener = Objects.requireNonNull(value, "value");
        return this;
    }

    @Override
    public SessionExecutor executor() {
        return executor;
    }

    @Override
    public void sendText(byte[] utf8) {
        sendText(utf8, true);
    }

    @Override
    public void sendBinary(byte[] data) {
        sendBinary(data, true);
    }

    @Override
    public synchronized void sendText(byte[] utf8, boolean compress) {
        if (!closed) {
            frames.add(new Frame(false, utf8, compress));
        }
    }

    @Override
    public synchronized void sendBinary(byte[] data, boolean compress) {
        if (!closed) {
            frames.add(new Frame(true, data, compress));
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void abort() {
        aborted = true;
        closed = true;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long bufferedBytes() {
        return bufferedBytes;
    }

    /** Plays a peer that reads ({@code true}) or does not. */
    public void writable(boolean value) {
        this.writable = value;
    }

    /** The bytes the transport reports as written but not sent. */
    public void bufferedBytes(long value) {
        this.bufferedBytes = value;
    }

    /** A text frame from the peer, delivered on the executor. */
    public void receive(String text) {
        Listener l = requireListener();
        executor.execute(() -> l.onText(text));
    }

    /** A binary frame from the peer, delivered on the executor. */
    public void receiveBinary(byte[] data) {
        Listener l = requireListener();
        executor.execute(() -> l.onBinary(data));
    }

    /** The connection ended (the peer closed, or the close handshake completed), reported on the executor. */
    public void peerClosed(CloseReason reason) {
        Listener l = requireListener();
        closed = true;
        executor.execute(() -> l.onClose(reason, ""));
    }

    /** Whether the engine closed (or aborted) this connection. */
    public boolean isClosed() {
        return closed;
    }

    /** Whether the engine aborted this connection (no close handshake). */
    public boolean isAborted() {
        return aborted;
    }

    /** Every frame written so far. */
    public synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** The text frames written since the last call, in order (binary frames as {@code <binary n>}). */
    public synchronized List<String> takeTexts() {
        List<String> out = new ArrayList<>();
        for (Frame f : frames.subList(taken, frames.size())) {
            out.add(f.binary() ? "<binary " + f.data().length + ">" : f.text());
        }
        taken = frames.size();
        return out;
    }

    private Listener requireListener() {
        Listener l = listener;
        if (l == null) {
            throw new IllegalStateException("no listener: pass the engine's to listener(...)");
        }
        return l;
    }
}
