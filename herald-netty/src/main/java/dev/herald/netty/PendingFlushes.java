package dev.herald.netty;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The WebSocket connections of one event loop written to in the current loop pass and not yet
 * flushed. One task, queued behind the tasks already waiting, flushes them all: a broadcast that
 * writes to thousands of connections of a loop adds one task to it, not one per connection, and
 * the acks of a burst of events leave in one syscall per connection.
 *
 * <p>Threading: one instance per event loop thread, used only by that thread.
 */
final class PendingFlushes implements Runnable {

    private static final FastThreadLocal<PendingFlushes> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected PendingFlushes initialValue() {
            return new PendingFlushes();
        }
    };

    private List<NettyWebSocketConnection> connections = new ArrayList<>();
    private boolean queued;

    /** The instance of the calling event loop thread. */
    static PendingFlushes ofThisLoop() {
        return PER_LOOP.get();
    }

    /** Flushes the connection in this loop pass, after the tasks already queued on {@code loop}. */
    void add(NettyWebSocketConnection connection, Executor loop) {
        connections.add(connection);
        if (!queued) {
            queued = true;
            try {
                loop.execute(this);
            } catch (RejectedExecutionException e) {
                run(); // the loop is shutting down: flush now, nothing else will
            }
        }
    }

    @Override
    public void run() {
        queued = false;
        List<NettyWebSocketConnection> due = connections;
        // A flush can write more (a listener reacting to it): that goes into a fresh list and task.
        connections = new ArrayList<>(Math.max(16, due.size()));
        for (NettyWebSocketConnection c : due) {
            c.flushNow();
        }
    }
}
