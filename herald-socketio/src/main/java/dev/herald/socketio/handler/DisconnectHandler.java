package dev.herald.socketio.handler;

import dev.herald.socketio.DisconnectReason;
import dev.herald.socketio.Socket;

/** Runs when a socket leaves its namespace ({@code disconnecting} or {@code disconnect}). */
@FunctionalInterface
public interface DisconnectHandler {

    /** Handles the departure. During {@code disconnecting} the socket is still in its rooms. */
    void handle(Socket socket, DisconnectReason reason) throws Exception;
}
