package dev.herald.socketio.parser;

import java.util.Optional;

/** The seven Socket.IO v5 packet types, with the digit each one has on the wire. */
public enum PacketType {
    /** Namespace connect request (client) or acceptance (server). */
    CONNECT(0),
    /** Namespace disconnect, either direction. */
    DISCONNECT(1),
    /** An event with a JSON array of arguments. */
    EVENT(2),
    /** The reply to an event that carried an ack id. */
    ACK(3),
    /** The server refused a namespace connect. */
    CONNECT_ERROR(4),
    /** An event whose arguments hold binary attachments. */
    BINARY_EVENT(5),
    /** An ack whose arguments hold binary attachments. */
    BINARY_ACK(6);

    private static final PacketType[] BY_CODE = values();

    private final int code;

    PacketType(int code) {
        this.code = code;
    }

    /** The digit that starts the packet on the wire. */
    public int code() {
        return code;
    }

    /** The type for a wire character, if it is one of {@code '0'..'6'}. */
    public static Optional<PacketType> fromChar(char c) {
        int i = c - '0';
        return i >= 0 && i < BY_CODE.length ? Optional.of(BY_CODE[i]) : Optional.empty();
    }

    /** Whether this is an event or an ack, text or binary. */
    public boolean isEventOrAck() {
        return this == EVENT || this == ACK || this == BINARY_EVENT || this == BINARY_ACK;
    }
}
