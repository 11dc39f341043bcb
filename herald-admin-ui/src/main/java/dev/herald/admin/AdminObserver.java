package dev.herald.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.Connection;
import dev.herald.socketio.DisconnectReason;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoObserver;
import java.time.Instant;
import java.util.Optional;

/**
 * Tells the admin namespace what happens, as Node's verbose listeners and engine listeners do:
 * sockets, rooms and events one by one in development mode, counts in every mode.
 *
 * <p>Threading: called on the threads {@link SocketIoObserver} names (event loops, handler threads,
 * under the adapter's room lock); it only encodes and hands off ({@code emit} returns at once).
 * What the admin sockets themselves send is not reported, or each report would report itself.
 */
final class AdminObserver implements SocketIoObserver {

    private final Namespace admin;
    private final EventBuffer events;
    private final boolean verbose;

    AdminObserver(Namespace admin, EventBuffer events, boolean verbose) {
        this.admin = admin;
        this.events = events;
        this.verbose = verbose;
    }

    private static String now() {
        return Serialized.date(Instant.now());
    }

    @Override
    public void connectionOpened(Connection connection) {
        events.push("rawConnection", Optional.empty(), 1);
    }

    @Override
    public void connectionClosed(Connection connection, String reason) {
        events.push("rawDisconnection", Optional.of(reason), 1);
    }

    @Override
    public void messageReceived(Connection connection, int bytes) {
        events.push("packetsIn", Optional.empty(), 1);
        events.push("bytesIn", Optional.empty(), bytes);
    }

    @Override
    public void messageSent(Connection connection, int bytes) {
        events.push("packetsOut", Optional.empty(), 1);
        events.push("bytesOut", Optional.empty(), bytes);
    }

    @Override
    public void socketConnected(Socket socket) {
        if (!verbose) {
            return;
        }
        admin.emit("socket_connected", Serialized.socket(socket), now());
        socket.conn()
                .onUpgrade(transport -> admin.emit(
                        "socket_updated",
                        Serialized.NODES
                                .objectNode()
                                .put("id", socket.id())
                                .put("nsp", socket.namespace().name())
                                .put("transport", transport)));
    }

    @Override
    public void socketDataChanged(Socket socket) {
        if (verbose) {
            ObjectNode update = Serialized.NODES
                    .objectNode()
                    .put("id", socket.id())
                    .put("nsp", socket.namespace().name());
            update.set("data", Serialized.data(socket.data()));
            admin.emit("socket_updated", update);
        }
    }

    @Override
    public void socketDisconnected(Socket socket, DisconnectReason reason) {
        if (verbose) {
            admin.emit("socket_disconnected", socket.namespace().name(), socket.id(), reason.wire(), now());
        }
    }

    @Override
    public void roomJoined(Namespace namespace, String room, String socketId) {
        if (verbose) {
            admin.emit("room_joined", namespace.name(), room, socketId, now());
        }
    }

    @Override
    public void roomLeft(Namespace namespace, String room, String socketId) {
        if (verbose) {
            admin.emit("room_left", namespace.name(), room, socketId, now());
        }
    }

    @Override
    public void eventReceived(Socket socket, String event, EventArgs args) {
        if (socket.namespace() == admin) {
            return;
        }
        if (verbose) {
            admin.emit("event_received", socket.namespace().name(), socket.id(), Serialized.event(event, args), now());
        }
    }

    @Override
    public void eventSent(Socket socket, String event, EventArgs args) {
        if (socket.namespace() == admin) {
            return;
        }
        if (verbose) {
            admin.emit("event_sent", socket.namespace().name(), socket.id(), Serialized.event(event, args), now());
        }
    }
}
