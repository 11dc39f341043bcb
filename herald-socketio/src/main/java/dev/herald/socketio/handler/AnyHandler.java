package dev.herald.socketio.handler;

import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Socket;

/** A catch-all listener ({@code onAny} for incoming, {@code onAnyOutgoing} for outgoing events). */
@FunctionalInterface
public interface AnyHandler {

    /**
     * Sees one event. Incoming: on the socket's virtual thread, before the handlers. Outgoing: on
     * the emitting thread, so it must be quick.
     */
    void handle(Socket socket, String event, EventArgs args) throws Exception;
}
