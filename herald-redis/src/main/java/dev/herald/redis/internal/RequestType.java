package dev.herald.redis.internal;

import java.util.Optional;

/** The request types of {@code @socket.io/redis-adapter} 8.3, with their wire numbers. */
public enum RequestType {
    SOCKETS(0),
    ALL_ROOMS(1),
    REMOTE_JOIN(2),
    REMOTE_LEAVE(3),
    REMOTE_DISCONNECT(4),
    REMOTE_FETCH(5),
    SERVER_SIDE_EMIT(6),
    BROADCAST(7),
    BROADCAST_CLIENT_COUNT(8),
    BROADCAST_ACK(9);

    private final int code;

    RequestType(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The type with that wire number, if any. */
    public static Optional<RequestType> of(int code) {
        var all = values();
        return code >= 0 && code < all.length ? Optional.of(all[code]) : Optional.empty();
    }
}
