package dev.herald.engineio.transport;

import dev.herald.engineio.CloseReason;

/**
 * An open WebSocket connection, as the transport hands it to the engine.
 *
 * <p>Threading: every method may be called from any thread; frames are written in call order and
 * flushed without waiting for more work (frames written in one pass of the event loop may share
 * one flush).
 */
public interface WebSocketConnection {

    /** The event loop of this connection. */
    SessionExecutor executor();

    /** Writes a text frame holding these UTF-8 bytes; the array is shared and never mutated. */
    void sendText(byte[] utf8);

    /** Writes a binary frame; the array is shared and never mutated. */
    void sendBinary(byte[] data);

    /**
     * Like {@link #sendText(byte[])}; with {@code compress} false the frame is sent uncompressed
     * even when permessage-deflate was negotiated. The default ignores the flag.
     */
    default void sendText(byte[] utf8, boolean compress) {
        sendText(utf8);
    }

    /** Like {@link #sendBinary(byte[])}, with the flag of {@link #sendText(byte[], boolean)}. */
    default void sendBinary(byte[] data, boolean compress) {
        sendBinary(data);
    }

    /**
     * Runs {@code callback} once every frame written so far has been handed to the operating
     * system, or the connection failed. Any thread; the callback must not block. The default runs
     * it at once, for a transport that cannot tell.
     */
    default void whenWritten(Runnable callback) {
        callback.run();
    }

    /** Sends a close frame and closes the connection. */
    void close();

    /**
     * Closes the connection at once, without a close handshake, discarding whatever is still
     * buffered: for a peer that does not read. The default calls {@link #close()}.
     */
    default void abort() {
        close();
    }

    /**
     * Whether the connection's outbound buffer is under the transport's high-water mark. Volatile
     * messages are dropped while it is not. The default is always writable.
     */
    default boolean isWritable() {
        return true;
    }

    /** Bytes written but not yet sent to the peer (an estimate); the default 0. Any thread. */
    default long bufferedBytes() {
        return 0;
    }

    /** Receives what arrives on one {@link WebSocketConnection}. */
    interface Listener {
        /** A complete text message, already checked to be valid UTF-8. */
        void onText(String text);

        /** A complete binary message. */
        void onBinary(byte[] data);

        /**
         * The connection closed or failed. Called at most once, after every other callback.
         *
         * @param reason {@link dev.herald.engineio.CloseReason#TRANSPORT_CLOSE} for a clean close,
         *     {@code MESSAGE_TOO_LARGE}, {@code PARSE_ERROR} or {@code TRANSPORT_ERROR} otherwise
         */
        void onClose(CloseReason reason, String description);
    }
}
