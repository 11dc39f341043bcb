package dev.herald.socketio.handler;

import dev.herald.socketio.RecoveryFailure;
import dev.herald.socketio.Socket;

/**
 * Runs when a client asked to resume its session through connection state recovery and got a
 * fresh one instead: before the connect handlers (and, like them, before the CONNECT reply unless
 * it writes to the socket), on the socket's virtual thread. The application can send the state
 * the client lost again.
 */
@FunctionalInterface
public interface RecoveryFailedHandler {

    /** Handles the fresh socket; a thrown exception goes to the error handler. */
    void handle(Socket socket, RecoveryFailure reason) throws Exception;
}
