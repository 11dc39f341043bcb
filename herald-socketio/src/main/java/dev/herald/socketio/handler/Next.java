package dev.herald.socketio.handler;

import dev.herald.socketio.ConnectionRefusedException;

/**
 * Continues or stops a middleware chain. Call exactly one method once, from any thread; a
 * middleware that returns without calling either is waited for up to {@code connectTimeout}.
 */
public interface Next {

    /** Lets the connection (or packet) through to the next middleware. */
    void proceed();

    /**
     * Stops the chain. For a namespace middleware the client gets {@code connect_error} with the
     * message (and the data of a {@link ConnectionRefusedException}).
     */
    void fail(Throwable error);
}
