package dev.herald.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The acks one socket still waits for from its client, by ack id: those of its own
 * {@code emitWithAck} (each with its future and timer) and those of broadcasts it received.
 *
 * <p>Threading: any thread registers and completes; completions and failures reach user code on
 * a virtual thread, never on the event loop that read the ACK packet.
 */
final class SocketAcks {

    // onFail gets the message of the failure: why the ack will never come. sentNanos is when the
    // event went out, taken only while observers are registered (0 otherwise), for the ack latency.
    private record Pending(Consumer<ArrayNode> onAck, Consumer<String> onFail, long sentNanos) {}

    private final Socket socket;
    private final SocketIoServer server;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    SocketAcks(Socket socket) {
        this.socket = socket;
        this.server = socket.namespace().server();
    }

    private long sentNanos() {
        return server.observers().active() ? System.nanoTime() : 0;
    }

    int size() {
        return pending.size();
    }

    /** Expects the ack of an {@code emitWithAck}; the future fails after the timeout, if any. */
    CompletableFuture<EventArgs> expect(long ackId, Optional<Duration> timeout) {
        CompletableFuture<EventArgs> future = new CompletableFuture<>();
        ScheduledFuture<?> timer = timeout.map(t -> server.scheduler()
                        .schedule(
                                () -> {
                                    if (pending.remove(ackId) != null) {
                                        server.threads()
                                                .async(() -> future.completeExceptionally(
                                                        new AckTimeoutException("operation has timed out")));
                                    }
                                },
                                t.toNanos(),
                                TimeUnit.NANOSECONDS))
                .orElse(null);
        pending.put(
                ackId,
                new Pending(
                        data -> {
                            cancel(timer);
                            future.complete(EventArgs.of(data));
                        },
                        message -> {
                            cancel(timer);
                            future.completeExceptionally(new AckTimeoutException(message));
                        },
                        sentNanos()));
        return future;
    }

    /**
     * Expects one recipient's ack of a broadcast. With a timeout the expectation ends then (the
     * broadcast reports the missing ack itself); without one, when the socket leaves.
     */
    void expectBroadcast(long ackId, Consumer<ArrayNode> callback, Optional<Duration> timeout) {
        pending.put(ackId, new Pending(callback, message -> {}, sentNanos()));
        timeout.ifPresent(
                t -> server.scheduler().schedule(() -> pending.remove(ackId), t.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** The client's ack arrived; false if nothing waited for that id. */
    boolean complete(long ackId, ArrayNode data) {
        Pending p = pending.remove(ackId);
        if (p == null) {
            return false;
        }
        if (p.sentNanos() != 0 && server.observers().active()) {
            server.observers().ackReceived(socket, p.sentNanos());
        }
        server.threads().async(() -> p.onAck().accept(data));
        return true;
    }

    void fail(long ackId, String message) {
        Pending p = pending.remove(ackId);
        if (p != null) {
            server.threads().async(() -> p.onFail().accept(message));
        }
    }

    void failAll(String message) {
        for (Long ackId : List.copyOf(pending.keySet())) {
            fail(ackId, message);
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
