package dev.herald.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.adapter.Adapter;
import dev.herald.socketio.adapter.InMemoryAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The acks of one broadcast {@code emitWithAck}: every node reports how many sockets it reached,
 * every socket's ack arrives here, and the future completes when all have answered or fails at
 * the timeout with what came ({@link AckTimeoutException#responses()}), how many did not
 * ({@link AckTimeoutException#missing()}) and which local sockets those were
 * ({@link AckTimeoutException#missingSocketIds()}; other nodes' sockets are not named by the
 * cluster protocol).
 *
 * <p>It is the {@code ack} consumer handed to {@link Adapter#broadcastWithAck}; {@link
 * InMemoryAdapter} recognises it and tells it which local socket each ack comes from.
 *
 * <p>Threading: any thread; the future completes on a virtual thread.
 */
final class BroadcastAcks implements Consumer<ArrayNode> {

    private final SocketIoServer server;
    private final CompletableFuture<List<EventArgs>> future = new CompletableFuture<>();
    private final List<EventArgs> responses = Collections.synchronizedList(new ArrayList<>());
    // Local recipients that have not answered yet.
    private final Set<String> waitingFor = ConcurrentHashMap.newKeySet();
    private final AtomicInteger expected = new AtomicInteger();
    private final AtomicInteger pendingCounts = new AtomicInteger();
    private final AtomicBoolean done = new AtomicBoolean();

    BroadcastAcks(SocketIoServer server, int nodes, Duration timeout) {
        this.server = server;
        this.pendingCounts.set(nodes);
        ScheduledFuture<?> timer = server.scheduler().schedule(this::timeOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        future.whenComplete((r, e) -> timer.cancel(false));
    }

    CompletableFuture<List<EventArgs>> future() {
        return future;
    }

    /** One node's count of the sockets it reached. */
    IntConsumer counts() {
        return count -> {
            expected.addAndGet(count);
            pendingCounts.decrementAndGet();
            check();
        };
    }

    /** The ack consumer for one local recipient, so a missing ack can be named. */
    Consumer<ArrayNode> from(String socketId) {
        waitingFor.add(socketId);
        return data -> {
            waitingFor.remove(socketId);
            accept(data);
        };
    }

    @Override
    public void accept(ArrayNode data) {
        responses.add(EventArgs.of(data));
        check();
    }

    void check() {
        if (pendingCounts.get() <= 0 && responses.size() >= expected.get() && done.compareAndSet(false, true)) {
            List<EventArgs> all = List.copyOf(responses);
            server.threads().async(() -> future.complete(all));
        }
    }

    private void timeOut() {
        if (done.compareAndSet(false, true)) {
            List<EventArgs> partial = List.copyOf(responses);
            // Nodes that never reported their count are not in `expected`: missing is a lower bound then.
            int missing = Math.max(0, expected.get() - partial.size());
            Set<String> missingLocal = Set.copyOf(waitingFor);
            server.threads()
                    .async(() -> future.completeExceptionally(new AckTimeoutException(
                            "operation has timed out: " + partial.size() + " of " + expected.get() + " acks",
                            partial,
                            missing,
                            missingLocal)));
        }
    }
}
