package dev.herald.socketio.handler;

import dev.herald.socketio.ConnectionRefusedException;
import dev.herald.socketio.Socket;

/**
 * A namespace middleware, run for every connecting socket before it joins, on its virtual thread.
 * Throwing (for example a {@link ConnectionRefusedException}) refuses the connection, as does
 * {@link Next#fail}.
 */
@FunctionalInterface
public interface Middleware {

    /** Inspects the socket (handshake, auth) and calls {@code next.proceed()} to let it in. */
    void handle(Socket socket, Next next) throws Exception;
}
