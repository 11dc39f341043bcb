package dev.herald.socketio;

import dev.herald.socketio.handler.UpgradeHandler;
import java.util.Objects;

/**
 * The Engine.IO connection behind a socket, as Node's {@code socket.conn}: shared by the sockets
 * of one client in every namespace.
 *
 * <p>Threading: every method may be called from any thread and returns at once.
 */
public final class Connection {

    private final Client client;

    Connection(Client client) {
        this.client = client;
    }

    /** The Engine.IO session id (keep it private: it identifies the connection on the wire). */
    public String id() {
        return client.engine().id();
    }

    /** The current transport: {@code polling} or {@code websocket}. */
    public String transport() {
        return client.engine().transport();
    }

    /** The Engine.IO protocol version: 4, or 3 for older clients. */
    public int protocol() {
        return client.engine().protocol();
    }

    /** The client's IP address as text. */
    public String remoteAddress() {
        return client.address();
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return client.isOpen();
    }

    /**
     * Closes the connection without telling the sockets' namespaces: no DISCONNECT packet, so the
     * client sees {@code transport close} and reconnects (and, with connection state recovery,
     * resumes its sockets). The sockets see {@code forced close}.
     */
    public void close() {
        client.closeEngine();
    }

    /** Runs {@code handler} when the connection moves to another transport. */
    public Connection onUpgrade(UpgradeHandler handler) {
        client.onUpgrade(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    @Override
    public String toString() {
        return "Connection[" + transport() + "]";
    }
}
