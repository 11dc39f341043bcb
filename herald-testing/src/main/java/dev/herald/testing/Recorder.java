package dev.herald.testing;

import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an {@link EngineIoTestClient} received, in arrival order over both transport legs, and how
 * its session ended; the blocking accessors tests assert with.
 *
 * <p>Threading: the legs record from their own threads; tests take from any thread. Every field
 * is a thread-safe container.
 */
final class Recorder {

    private static final Received CLOSED_MARKER = new Received(Packet.CLOSE, "closed", 0, -1);

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    // Numbers each poll response and each frame, so tests can tell what arrived together.
    private final AtomicLong responses = new AtomicLong();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    /** The number of the next poll response or frame. */
    long nextResponse() {
        return responses.incrementAndGet();
    }

    void record(Packet p, String via, long response) {
        received.add(new Received(p, via, System.nanoTime(), response));
    }

    /** The session ended, as this client saw it; the first description wins. */
    void markClosed(String how) {
        if (closed.complete(how)) {
            received.add(CLOSED_MARKER);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    String awaitClosed(Duration timeout) {
        return Endpoint.await(closed, timeout, "the session to close");
    }

    Received next(Duration timeout) {
        Received r = poll(timeout);
        if (r == null) {
            throw new AssertionError("nothing received within " + timeout);
        }
        if (r == CLOSED_MARKER) {
            received.add(CLOSED_MARKER);
            throw new AssertionError("connection closed (" + closed.getNow("?") + ") before a packet arrived");
        }
        return r;
    }

    Received nextMessage(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Received r = next(Duration.ofNanos(Math.max(0, left)));
            PacketType t = r.packet().type();
            if (t == PacketType.MESSAGE) {
                return r;
            }
            if (t != PacketType.PING && t != PacketType.NOOP) {
                throw new AssertionError("expected a message, got " + r);
            }
        }
    }

    void expectNothing(Duration duration) {
        Received r = poll(duration);
        if (r != null && r != CLOSED_MARKER) {
            throw new AssertionError("expected nothing, got " + r);
        }
        if (r == CLOSED_MARKER) {
            received.add(CLOSED_MARKER);
        }
    }

    void expectNoMessage(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Received r = poll(Duration.ofNanos(left));
            if (r == null) {
                return;
            }
            if (r == CLOSED_MARKER) {
                received.add(CLOSED_MARKER);
                return;
            }
            PacketType t = r.packet().type();
            if (t != PacketType.PING && t != PacketType.NOOP) {
                throw new AssertionError("expected no message, got " + r);
            }
        }
    }

    List<Received> pending() {
        return new ArrayList<>(received);
    }

    private Received poll(Duration timeout) {
        try {
            return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
