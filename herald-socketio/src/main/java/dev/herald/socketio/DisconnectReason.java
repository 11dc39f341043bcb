package dev.herald.socketio;

import dev.herald.engineio.CloseReason;

/** Why a socket left its namespace, carrying the JS reference's reason strings. */
public enum DisconnectReason {
    /** The server called {@code socket.disconnect()}. */
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),
    /** The client left the namespace ({@code socket.disconnect()} on the client). */
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
    /** The client closed the connection. */
    TRANSPORT_CLOSE("transport close"),
    /** The connection failed. */
    TRANSPORT_ERROR("transport error"),
    /** The client stopped answering pings. */
    PING_TIMEOUT("ping timeout"),
    /** The client sent an invalid packet. */
    PARSE_ERROR("parse error"),
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN("server shutting down"),
    /** The server closed the connection ({@code socket.disconnect(true)} or engine close). */
    FORCED_CLOSE("forced close"),
    /** The server closed the whole connection of a socket. */
    FORCED_SERVER_CLOSE("forced server close");

    private final String wire;

    DisconnectReason(String wire) {
        this.wire = wire;
    }

    /** The reason string as the JS reference spells it. */
    public String wire() {
        return wire;
    }

    /**
     * Whether connection state recovery keeps the session after this reason, as socket.io does:
     * the connection was lost or closed by the server's side, not left on purpose by either party.
     */
    public boolean recoverable() {
        return switch (this) {
            case TRANSPORT_ERROR,
                    TRANSPORT_CLOSE,
                    FORCED_CLOSE,
                    PING_TIMEOUT,
                    SERVER_SHUTTING_DOWN,
                    FORCED_SERVER_CLOSE -> true;
            case SERVER_NAMESPACE_DISCONNECT, CLIENT_NAMESPACE_DISCONNECT, PARSE_ERROR -> false;
        };
    }

    /** The socket-level reason for an Engine.IO close reason. */
    public static DisconnectReason of(CloseReason reason) {
        return switch (reason) {
            case FORCED_CLOSE -> FORCED_CLOSE;
            case SERVER_SHUTTING_DOWN -> SERVER_SHUTTING_DOWN;
            case TRANSPORT_CLOSE -> TRANSPORT_CLOSE;
            case PING_TIMEOUT -> PING_TIMEOUT;
            case PARSE_ERROR, PROTOCOL_ERROR -> PARSE_ERROR;
            case TRANSPORT_ERROR, POLLING_ERROR, MESSAGE_TOO_LARGE, SLOW_CONSUMER -> TRANSPORT_ERROR;
        };
    }

    @Override
    public String toString() {
        return wire;
    }
}
