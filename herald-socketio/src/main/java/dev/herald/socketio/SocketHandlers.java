package dev.herald.socketio;

import dev.herald.socketio.handler.PacketMiddleware;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The handlers registered on one socket (rather than on its namespace). Few sockets have any, so
 * a socket creates its instance on the first registration and reads {@link #NONE} until then:
 * an idle connection does not pay for seven empty collections. What sockets and namespaces have in
 * common lives in {@link Listeners}.
 *
 * <p>Threading: registered from any thread, read by handler threads; the collections are
 * concurrent or copy-on-write, so iteration is safe while someone registers.
 */
final class SocketHandlers extends Listeners {

    /** What a socket without registrations reads; never written to. */
    static final SocketHandlers NONE = new SocketHandlers();

    final List<PacketMiddleware> middlewares = new CopyOnWriteArrayList<>();
}
