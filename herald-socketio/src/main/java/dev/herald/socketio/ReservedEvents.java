package dev.herald.socketio;

import java.util.Objects;
import java.util.Set;

/**
 * The event names that belong to the protocol or the library, the one place they are listed.
 * {@code emit} and {@code on} refuse them with an {@link IllegalArgumentException}; a client that
 * sends one is treated as sending a malformed packet and disconnected, as the reference does.
 */
public final class ReservedEvents {

    /** The reserved names. */
    public static final Set<String> NAMES =
            Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private ReservedEvents() {}

    /** Whether the name is reserved. */
    public static boolean isReserved(String event) {
        return NAMES.contains(event);
    }

    /** Throws if the name is reserved or blank-null. */
    static String check(String event) {
        Objects.requireNonNull(event, "event");
        if (isReserved(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
        return event;
    }
}
