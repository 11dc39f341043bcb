package dev.herald.socketio.handler;

import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Socket;

/**
 * Handles one event and answers it: the return value becomes the acknowledgement's single
 * argument (none when it returns {@code null}), as in python-socketio. Runs on a virtual thread.
 */
@FunctionalInterface
public interface CallHandler {

    /** Handles the event and returns the ack value; a thrown exception sends no ack. */
    Object handle(Socket socket, EventArgs args) throws Exception;
}
