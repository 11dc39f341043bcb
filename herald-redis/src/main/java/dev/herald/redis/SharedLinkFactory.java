package dev.herald.redis;

import dev.herald.socketio.Namespace;
import dev.herald.socketio.adapter.AdapterFactory;
import dev.herald.socketio.adapter.ClusterAdapter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A factory whose adapters (one per namespace) share one set of Redis connections, which close
 * when the last adapter closes (the server closes) or with {@link #close()}.
 *
 * @param <A> the adapters it makes
 */
abstract class SharedLinkFactory<A extends ClusterAdapter> implements AdapterFactory, AutoCloseable {

    private final String adapterName;
    // Any thread: every adapter created, for the sum of their counters.
    private final List<A> created = new CopyOnWriteArrayList<>();
    // Guarded by `this`.
    private int open;
    private boolean closed;

    SharedLinkFactory(String adapterName) {
        this.adapterName = adapterName;
    }

    /** A new adapter on the shared connections that runs {@code onClose} when it closes. */
    abstract A newAdapter(Namespace namespace, Runnable onClose);

    /** Closes the shared connections. */
    abstract void closeLink();

    @Override
    public final synchronized A create(Namespace namespace) {
        if (closed) {
            throw new IllegalStateException("this " + adapterName + " factory is closed");
        }
        open++;
        var adapter = newAdapter(namespace, this::adapterClosed);
        created.add(adapter);
        return adapter;
    }

    /** How many cluster messages the adapters of this factory could not publish, in total. */
    public final long droppedMessages() {
        return created.stream().mapToLong(ClusterAdapter::droppedMessages).sum();
    }

    private synchronized void adapterClosed() {
        if (open > 0 && --open == 0) {
            close();
        }
    }

    /** Closes the Redis connections. */
    @Override
    public final synchronized void close() {
        if (!closed) {
            closed = true;
            closeLink();
        }
    }
}
