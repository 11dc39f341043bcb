package dev.herald.socketio.handler;

import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Socket;

/**
 * Handles one event. Runs on a virtual thread: it may block ({@code Thread.sleep}, JDBC, HTTP)
 * without stalling other sockets, and every emit it makes is written at once.
 */
@FunctionalInterface
public interface EventHandler {

    /** Handles the event; a thrown exception goes to the namespace's error handler. */
    void handle(Socket socket, EventArgs args) throws Exception;
}
