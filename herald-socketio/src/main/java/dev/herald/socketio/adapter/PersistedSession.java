package dev.herald.socketio.adapter;

import dev.herald.socketio.Socket;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What connection state recovery keeps of a socket while its client is away: the adapter SPI's
 * equivalent of socket.io's {@code SessionToPersist}.
 *
 * @param sid         the socket id, given back to the recovered socket
 * @param pid         the private session id the client holds (never shared with other clients)
 * @param rooms       the rooms the socket was in, its personal room included
 * @param data        a copy of {@link Socket#data()}
 * @param startOffset where the session's stream of packets began: the offset of the newest packet
 *     kept when the socket first connected (empty if none was kept yet). A client that received no
 *     recoverable packet has no offset of its own; it misses every packet after this one.
 */
public record PersistedSession(
        String sid, String pid, Set<String> rooms, Map<String, Object> data, Optional<String> startOffset) {

    public PersistedSession {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(pid, "pid");
        rooms = Set.copyOf(Objects.requireNonNull(rooms, "rooms"));
        data = Map.copyOf(Objects.requireNonNull(data, "data"));
        Objects.requireNonNull(startOffset, "startOffset");
    }
}
