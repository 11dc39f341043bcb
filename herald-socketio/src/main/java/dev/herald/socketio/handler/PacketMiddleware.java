package dev.herald.socketio.handler;

import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Socket;

/**
 * A per-socket middleware, run for every incoming event before its handlers ({@code socket.use}).
 * Throwing or {@link Next#fail} drops the event and reports the error to the error handler.
 */
@FunctionalInterface
public interface PacketMiddleware {

    /** Inspects the event and calls {@code next.proceed()} to let it through. */
    void handle(Socket socket, String event, EventArgs args, Next next) throws Exception;
}
