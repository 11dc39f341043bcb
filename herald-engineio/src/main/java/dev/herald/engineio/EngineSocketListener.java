package dev.herald.engineio;

/**
 * Receives what one {@link EngineSocket} delivers upward.
 *
 * <p>Threading: every callback runs on the session's home event loop, never in parallel for the
 * same session, and in wire order. Callbacks must not block: hand real work to another thread.
 */
public interface EngineSocketListener {

    /** A {@code message} packet arrived. */
    void onMessage(EngineSocket socket, Message message);

    /**
     * The session moved to another transport (today: from polling to {@code websocket}); what is
     * sent from now on goes over it. The default does nothing.
     */
    default void onUpgrade(EngineSocket socket, String transport) {}

    /**
     * The session closed. Called exactly once.
     *
     * @param reason the reason, with the reference's wire string in {@link CloseReason#wire()}
     * @param description extra detail for logs, possibly empty
     */
    void onClose(EngineSocket socket, CloseReason reason, String description);
}
