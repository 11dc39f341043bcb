package dev.herald.socketio.adapter;

import dev.herald.socketio.Namespace;

/**
 * Creates the {@link Adapter} of each namespace. The default is {@code InMemoryAdapter::new}.
 *
 * <p>Called once per namespace, on the thread that creates it (for a dynamic namespace, an engine
 * event loop): must not block.
 */
@FunctionalInterface
public interface AdapterFactory {

    /** The adapter for this namespace. */
    Adapter create(Namespace namespace);
}
