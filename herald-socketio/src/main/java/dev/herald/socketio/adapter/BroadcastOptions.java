package dev.herald.socketio.adapter;

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

    /**
     * Whether a socket in these rooms is a recipient, as socket.io's {@code shouldIncludePacket}:
     * in one of {@link #rooms()} (or they are empty), and in none of {@link #except()}. Used to
     * pick the kept packets a resumed session missed.
     */
    public boolean reaches(Set<String> socketRooms) {
        boolean included = rooms.isEmpty();
        for (String room : socketRooms) {
            if (except.contains(room)) {
                return false;
            }
            included |= rooms.contains(room);
        }
        return included;
    }

    /** Only the sockets in these rooms. */
    public static BroadcastOptions rooms(Set<String> rooms) {
        return new BroadcastOptions(rooms, Set.of(), BroadcastFlags.DEFAULT);
    }
}
