package dev.herald.socketio.adapter;

import dev.herald.socketio.Handshake;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of one socket, local or on another node, as {@code fetchSockets} returns it and as a
 * cluster adapter ships it between nodes.
 *
 * @param id        the socket id
 * @param nsp       the namespace name
 * @param handshake the handshake details
 * @param rooms     the rooms at the time of the snapshot
 * @param data      a copy of the socket's {@code data()} map at the time of the snapshot
 */
public record SocketDetails(String id, String nsp, Handshake handshake, Set<String> rooms, Map<String, Object> data) {

    public SocketDetails {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nsp, "nsp");
        Objects.requireNonNull(handshake, "handshake");
        rooms = Set.copyOf(rooms);
        data = Map.copyOf(data);
    }
}
