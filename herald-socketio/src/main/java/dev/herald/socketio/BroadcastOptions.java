package dev.herald.socketio;

import java.util.Objects;
import java.util.Set;

/**
 * Who a broadcast goes to: the sockets in any of {@code rooms} (every socket when empty) that are
 * in none of {@code except}, and how ({@code flags}). Immutable.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {

    /** Every socket of the namespace, default flags. */
    public static final BroadcastOptions ALL = new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.DEFAULT);

    public BroadcastOptions {
        rooms = Set.copyOf(Objects.requireNonNull(rooms, "rooms"));
        except = Set.copyOf(Objects.requireNonNull(except, "except"));
        Objects.requireNonNull(flags, "flags");
    }

    /** Only the sockets in these rooms. */
    public static BroadcastOptions rooms(Set<String> rooms) {
        return new BroadcastOptions(rooms, Set.of(), BroadcastFlags.DEFAULT);
    }
}
