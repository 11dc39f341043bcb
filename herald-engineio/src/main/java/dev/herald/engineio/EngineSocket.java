package dev.herald.engineio;

import java.util.List;

/**
 * One Engine.IO session, as the layer above (Socket.IO) sees it.
 *
 * <p>Threading: every method may be called from any thread and returns at once. Sends are handed
 * to the session's home event loop, which writes them now: a WebSocket frame is flushed, a parked
 * long-poll is completed. Messages from one thread keep their order.
 */
public interface EngineSocket {

    /** The session id, as sent in the handshake. */
    String id();

    /** The Engine.IO protocol revision the client speaks: 3 or 4. */
    int protocol();

    /** The HTTP request that opened the session. */
    HandshakeRequest request();

    /** The current transport name: {@code "polling"} or {@code "websocket"}. */
    String transport();

    /** True until the session has closed. */
    boolean isOpen();

    /** Queues one message. Ignored once the session is closed. */
    void send(Message message);

    /**
     * Queues several messages as one contiguous run: no message sent from another thread lands
     * between them. Socket.IO uses this for a binary packet and its attachments.
     */
    void send(List<Message> messages);

    /**
     * Queues one message that may be dropped (JS {@code volatile}): it is discarded, and counted
     * in {@link EngineIoServer#droppedMessages()}, if the client is not keeping up (its pending
     * bytes are over {@link EngineIoOptions#writeBufferHighWaterMark()}) or the session is not
     * open. The default sends it like {@link #send(Message)}.
     */
    default void sendVolatile(Message message) {
        send(message);
    }

    /** Like {@link #sendVolatile(Message)} for a contiguous run: all are sent or all are dropped. */
    default void sendVolatile(List<Message> messages) {
        send(messages);
    }

    /**
     * Runs {@code callback} once every message sent so far has left this session: written to its
     * WebSocket's connection (handed to the operating system), or, over polling, queued for the
     * client's poll. Also runs it when the session closes first. Any thread; the callback runs on
     * an I/O thread and must not block. As Node's {@code ws} write callback, it orders a write
     * after another one has gone out, without a timer. The default runs it at once.
     */
    default void whenSent(Runnable callback) {
        callback.run();
    }

    /** Closes the session from the server side with reason {@link CloseReason#FORCED_CLOSE}. */
    void close();
}
