package dev.herald.socketio;

/**
 * A socket seen through the volatile flag, as Node's {@code socket.volatile}:
 * {@code socket.asVolatile().emit(...)} sends only if the connection can take it now (its write
 * buffer is under the slow-consumer mark) and drops it otherwise; it is never kept for connection
 * state recovery. Meant for frequent updates where the next one replaces a lost one.
 */
public final class VolatileEmitter {

    private final Socket socket;

    VolatileEmitter(Socket socket) {
        this.socket = socket;
    }

    /**
     * Emits if the client can take it now; drops it otherwise. Returns at once.
     *
     * @throws IllegalArgumentException if the event name is reserved
     */
    public void emit(String event, Object... args) {
        socket.outbox().emitVolatile(event, args);
    }

    /** Emits the {@code message} event, volatile. */
    public void send(Object... args) {
        emit("message", args);
    }
}
