package dev.herald.engineio.parser;

import java.util.Optional;

/** The seven Engine.IO packet types, with the digit that carries each on the wire. */
public enum PacketType {
    /** Sent by the server once, with the handshake data. */
    OPEN('0'),
    /** Either side ends the session. */
    CLOSE('1'),
    /** Heartbeat request (server to client in EIO4; also the upgrade probe {@code 2probe}). */
    PING('2'),
    /** Heartbeat answer. */
    PONG('3'),
    /** Application data. */
    MESSAGE('4'),
    /** The client finishes a transport upgrade. */
    UPGRADE('5'),
    /** Does nothing; ends a long-poll cleanly. */
    NOOP('6');

    private static final PacketType[] BY_DIGIT = values();

    private final char digit;

    PacketType(char digit) {
        this.digit = digit;
    }

    /** The wire digit. */
    public char digit() {
        return digit;
    }

    /** The type carried by a wire digit, if it is one. */
    public static Optional<PacketType> fromDigit(char c) {
        int i = c - '0';
        return i >= 0 && i < BY_DIGIT.length ? Optional.of(BY_DIGIT[i]) : Optional.empty();
    }
}
