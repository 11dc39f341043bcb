package dev.herald.socketio;

/**
 * A socket seen through the {@code compress} flag, as Node's {@code socket.compress(false)}:
 * {@code socket.compress(false).emit(...)} sends the packet uncompressed even when the server
 * compresses (polling {@code httpCompression}, WebSocket {@code perMessageDeflate}); for payloads
 * that are already compressed, or too random to shrink. {@code compress(true)} is a plain emit.
 */
public final class CompressEmitter {

    private final Socket socket;
    private final boolean compress;

    CompressEmitter(Socket socket, boolean compress) {
        this.socket = socket;
        this.compress = compress;
    }

    /**
     * Emits with the flag. Returns at once.
     *
     * @throws IllegalArgumentException if the event name is reserved
     */
    public void emit(String event, Object... args) {
        socket.outbox().emit(compress, event, args);
    }

    /** Emits the {@code message} event with the flag. */
    public void send(Object... args) {
        emit("message", args);
    }
}
