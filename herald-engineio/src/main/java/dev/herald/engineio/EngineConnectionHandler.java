package dev.herald.engineio;

/**
 * The layer above Engine.IO: told of each new session, it returns the listener for that session.
 *
 * <p>Threading: called on the new session's home event loop, right after the open packet is
 * queued and before any message of that session is delivered. Must not block.
 */
@FunctionalInterface
public interface EngineConnectionHandler {

    /**
     * A session opened. Returns the listener for its messages and its close; if this throws, the
     * session is closed.
     */
    EngineSocketListener onOpen(EngineSocket socket);
}
