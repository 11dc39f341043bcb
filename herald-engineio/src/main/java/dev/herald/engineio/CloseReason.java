package dev.herald.engineio;

/** Why an Engine.IO session closed, carrying the JS reference's reason strings. */
public enum CloseReason {
    /** The server called close(). */
    FORCED_CLOSE("forced close"),
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN("server shutting down"),
    /** The client sent a close packet. */
    TRANSPORT_CLOSE("transport close"),
    /** The underlying connection failed or closed unexpectedly. */
    TRANSPORT_ERROR("transport error"),
    /** No pong within pingInterval + pingTimeout. */
    PING_TIMEOUT("ping timeout"),
    /** The client sent something that is not valid Engine.IO. */
    PARSE_ERROR("parse error"),
    /** A concurrent second GET on one polling session. */
    POLLING_ERROR("polling error"),
    /** A message exceeded maxHttpBufferSize. */
    MESSAGE_TOO_LARGE("message too large"),
    /**
     * The client did not read what was sent to it: its buffer stayed over the write-buffer
     * high-water mark for {@code slowConsumerTimeout}, or passed {@code slowConsumerMaxBuffer}.
     * Herald's own; the JS reference has no such limit.
     */
    SLOW_CONSUMER("slow consumer"),
    /** The layer above refused or closed the session (for example a Socket.IO protocol error). */
    PROTOCOL_ERROR("protocol error");

    private final String wire;

    CloseReason(String wire) {
        this.wire = wire;
    }

    /** The reason string as the JS reference spells it. */
    public String wire() {
        return wire;
    }
}
