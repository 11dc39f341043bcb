package dev.herald.socketio;

import dev.herald.socketio.handler.DisconnectHandler;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;

/**
 * How a socket leaves its namespace for good: the close itself (any thread, once), then the
 * disconnect flow on the socket's virtual thread, after every event already queued: the
 * {@code disconnecting} handlers, the rooms left, the {@code disconnect} handlers. With connection
 * state recovery, what the client may come back to is kept first.
 */
final class DisconnectFlow {

    private DisconnectFlow() {}

    /** The server sends the socket away ({@code socket.disconnect(close)}). */
    static void disconnect(Socket socket, boolean close) {
        if (close) {
            socket.client().disconnectAllAndClose();
            return;
        }
        SocketLifecycle life = socket.lifecycle();
        life.greet();
        life.runAfterAnyGreeting(() -> {
            if (life.connected()) {
                socket.client()
                        .writePacket(Packet.of(
                                PacketType.DISCONNECT, socket.namespace().name()));
            }
        });
        close(socket, DisconnectReason.SERVER_NAMESPACE_DISCONNECT, null);
    }

    /**
     * Closes the socket; a second call does nothing. {@code details} is what the connection said
     * when it ended, null for a namespace-level leave.
     */
    static void close(Socket socket, DisconnectReason reason, DisconnectDetails details) {
        SocketLifecycle.Closing closing = socket.lifecycle().close();
        if (!closing.wasOpen()) {
            return;
        }
        // Before the disconnect flow reads it; the state change above is the only other write.
        socket.disconnectDetails(details);
        // Admitted counts as connected: its connect handlers run (or ran), so its disconnect
        // handlers must too. Only a client that got its reply holds a session id to come back with.
        boolean wasConnected = closing.admitted();
        boolean keep = closing.greeted() && socket.pid().isPresent() && reason.recoverable();
        boolean settledAtClose = socket.settled();
        if (keep && settledAtClose) {
            // Now, not in the disconnect flow: the client may be back before a busy mailbox gets
            // there. Rooms and data as they are at the moment the connection was lost.
            persist(socket);
        }
        Namespace nsp = socket.namespace();
        nsp.remove(socket);
        socket.client().remove(socket);
        socket.outbox()
                .failAll(
                        reason == DisconnectReason.SERVER_SHUTTING_DOWN
                                ? "server shutting down"
                                : "socket has been disconnected");
        if (!wasConnected) {
            // Not admitted yet: the connect flow sees the close and completes `gone` after its cleanup.
            return;
        }
        socket.mailbox()
                .execute(() -> HandlerThreads.withMdc(socket, "disconnect", () -> {
                    try {
                        leave(socket, reason, keep && !settledAtClose);
                    } finally {
                        socket.gone().complete(null);
                    }
                }));
    }

    /** The disconnect flow, on the socket's virtual thread. */
    private static void leave(Socket socket, DisconnectReason reason, boolean persistNow) {
        if (persistNow) {
            // The connect handlers were still running at the close: what they joined and stored counts.
            persist(socket);
        }
        Namespace nsp = socket.namespace();
        SocketHandlers own = socket.handlers();
        socket.events().awaitStarted();
        for (DisconnectHandler h : own.disconnecting) {
            EventDispatch.call(socket, "disconnecting", () -> h.handle(socket, reason));
        }
        for (DisconnectHandler h : nsp.handlers().disconnecting) {
            EventDispatch.call(socket, "disconnecting", () -> h.handle(socket, reason));
        }
        nsp.adapter().delAll(socket.id());
        // Again, after any connect flow queued before this task: a close that raced with the
        // connect may have run before the socket was registered.
        nsp.remove(socket);
        socket.client().remove(socket);
        Observers observers = nsp.server().observers();
        if (observers.active()) {
            observers.socketDisconnected(socket, reason);
        }
        for (DisconnectHandler h : own.disconnect) {
            EventDispatch.call(socket, "disconnect", () -> h.handle(socket, reason));
        }
        for (DisconnectHandler h : nsp.handlers().disconnect) {
            EventDispatch.call(socket, "disconnect", () -> h.handle(socket, reason));
        }
    }

    private static void persist(Socket socket) {
        socket.session().ifPresent(socket.namespace().adapter()::persistSession);
    }
}
