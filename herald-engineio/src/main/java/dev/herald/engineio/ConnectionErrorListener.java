package dev.herald.engineio;

/**
 * Told of every request refused before reaching a session: Node's {@code engine.on("connection_error")}.
 * For logging and metrics; the answer is already decided.
 *
 * <p>Threading: runs on the connection's event loop; it must not block. An exception is logged at
 * WARN and changes nothing.
 */
@FunctionalInterface
public interface ConnectionErrorListener {

    /** One refused request. */
    void onConnectionError(ConnectionError error) throws Exception;
}
