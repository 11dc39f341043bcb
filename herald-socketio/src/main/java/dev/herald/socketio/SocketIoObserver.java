package dev.herald.socketio;

import dev.herald.engineio.ConnectionError;
import java.time.Duration;

/**
 * Sees what happens in a server, for metrics and dashboards: sockets coming and going, rooms
 * joined and left, events in and out, how long handlers took and how long acks took to come back.
 * Registered with {@link SocketIoServer#observe}; every method does nothing unless overridden.
 *
 * <p>Threading: each method names the thread that calls it; several of them run on a connection's
 * event loop or inside a short lock, so an implementation must return at once: count, record,
 * hand off. It must never block, and never wait for another socket. What it throws is logged
 * and otherwise ignored. Without an observer, the server does none of this work.
 */
public interface SocketIoObserver {

    /**
     * An Engine.IO connection was opened (a client, before it joins any namespace). Called on the
     * connection's event loop.
     */
    default void connectionOpened(Connection connection) {}

    /**
     * A connection reported by {@link #connectionOpened} closed, for this Engine.IO reason as the
     * reference spells it ({@code transport close}, {@code ping timeout}, …). Called on the
     * connection's event loop, before its sockets leave.
     */
    default void connectionClosed(Connection connection, String reason) {}

    /**
     * A message came in on the connection (one Socket.IO packet, or one binary attachment), of
     * this many bytes (UTF-8 for text). Called on the connection's event loop, before it is decoded.
     */
    default void messageReceived(Connection connection, int bytes) {}

    /**
     * Messages of this many bytes in all were handed to the connection (one packet and its
     * attachments; a broadcast reports each recipient). Called on the emitting thread. Volatile ones
     * may still be dropped for a slow client.
     */
    default void messageSent(Connection connection, int bytes) {}

    /**
     * A socket was admitted to its namespace: it is in its rooms and its connect handlers are about
     * to run. Called on the socket's connect flow (a virtual thread), once per socket; every socket
     * reported here is later reported to {@link #socketDisconnected}.
     */
    default void socketConnected(Socket socket) {}

    /**
     * A socket reported by {@link #socketConnected} has left: its rooms are left, its disconnect
     * handlers have not run yet. {@link Socket#disconnectDetails()} says what the connection said,
     * when it was the connection that ended. Called on the socket's virtual thread, once.
     */
    default void socketDisconnected(Socket socket, DisconnectReason reason) {}

    /**
     * The application changed {@link Socket#data()} of a connected socket (a key set, replaced or
     * removed). Called on the thread that changed it, after the change; a recovered socket's data
     * coming back is not a change.
     */
    default void socketDataChanged(Socket socket) {}

    /**
     * The socket's client had more than {@link SocketIoOptions#maxPendingEvents()} events waiting
     * for its handlers: its connection is being closed, and the socket will be reported
     * disconnected ({@code forced close}). Called on the I/O thread that read the event; must not
     * block.
     */
    default void pendingEventsExceeded(Socket socket) {}

    /**
     * A request on the Engine.IO path was refused before it reached a session, as Node's
     * {@code connection_error} reports it: a handshake over {@code maxSessionsPerAddress}, a
     * foreign {@code Origin}, an unknown sid, a refusal of {@code allowRequest}... Called on the
     * I/O thread that read the request; must not block.
     */
    default void connectionRefused(ConnectionError error) {}

    /**
     * A socket of this node joined a room it was not in (its own room at the admission
     * included). Called on the thread that joined it, while the adapter's room lock is held.
     */
    default void roomJoined(Namespace namespace, String room, String socketId) {}

    /**
     * A socket of this node left a room (by {@code leave}, or every room when it left the
     * namespace). Called on the thread that made it leave, while the adapter's room lock is held.
     */
    default void roomLeft(Namespace namespace, String room, String socketId) {}

    /**
     * An event from the client, before any middleware or handler sees it. Called on the socket's
     * handler thread (a virtual thread), in the order the events arrived.
     */
    default void eventReceived(Socket socket, String event, EventArgs args) {}

    /**
     * The handlers of one event have returned (packet middlewares, catch-alls, handlers, the
     * value-returning handler), {@code duration} after {@link #eventReceived}. Called on the same
     * handler thread, also when a handler threw.
     */
    default void eventHandled(Socket socket, String event, Duration duration) {}

    /**
     * An event is on its way to this socket's client: an emit, or one recipient of a broadcast
     * (called once per local recipient). Called on the emitting thread, which may be an event loop
     * (a broadcast relayed by a cluster adapter) or a handler thread. A volatile event reported
     * here may still be dropped for a slow client.
     */
    default void eventSent(Socket socket, String event, EventArgs args) {}

    /**
     * The client answered an event sent with an ack ({@code emitWithAck}, {@code call}, or a
     * broadcast with ack), {@code latency} after it was sent. Called on the connection's event
     * loop. Acks that time out or are abandoned are not reported.
     */
    default void ackReceived(Socket socket, Duration latency) {}
}
