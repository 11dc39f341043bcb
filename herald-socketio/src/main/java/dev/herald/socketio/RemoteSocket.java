package dev.herald.socketio;

import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.SocketDetails;
import java.util.Map;
import java.util.Set;

/**
 * A socket returned by {@code fetchSockets}: a snapshot of its state plus operations routed
 * through the adapter, so they work whether the socket is on this node or another.
 */
public final class RemoteSocket {

    private final Namespace nsp;
    private final SocketDetails details;

    RemoteSocket(Namespace nsp, SocketDetails details) {
        this.nsp = nsp;
        this.details = details;
    }

    /** The socket id. */
    public String id() {
        return details.id();
    }

    /** The handshake. */
    public Handshake handshake() {
        return details.handshake();
    }

    /** The rooms at the time of the snapshot. */
    public Set<String> rooms() {
        return details.rooms();
    }

    /** A copy of the socket's data at the time of the snapshot. */
    public Map<String, Object> data() {
        return details.data();
    }

    /** Emits to this socket. */
    public void emit(String event, Object... args) {
        operator().emit(event, args);
    }

    /** Makes the socket join rooms. */
    public void join(String... rooms) {
        operator().socketsJoin(rooms);
    }

    /** Makes the socket leave rooms. */
    public void leave(String... rooms) {
        operator().socketsLeave(rooms);
    }

    /** Disconnects the socket. */
    public void disconnect(boolean close) {
        operator().disconnectSockets(close);
    }

    private BroadcastOperator operator() {
        return new BroadcastOperator(nsp, Set.of(details.id()), Set.of(), BroadcastFlags.DEFAULT);
    }

    @Override
    public String toString() {
        return "RemoteSocket[" + details.id() + " " + details.nsp() + "]";
    }
}
