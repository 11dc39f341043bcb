package dev.herald.socketio;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A socket seen through an ack timeout: {@code socket.timeout(d).emitWithAck(...)}. */
public final class TimedEmitter {

    private final Socket socket;
    private final Duration timeout;

    TimedEmitter(Socket socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /**
     * Emits and completes with the client's ack, or fails with {@link AckTimeoutException} after
     * the timeout or when the socket leaves. The future completes on a virtual thread.
     */
    public CompletableFuture<EventArgs> emitWithAck(String event, Object... args) {
        return socket.outbox().emitWithAck(Optional.of(timeout), event, args);
    }

    /** Emits and blocks until the ack; throws {@link AckTimeoutException} on timeout. */
    public EventArgs call(String event, Object... args) {
        return SocketOutbox.await(emitWithAck(event, args));
    }
}
