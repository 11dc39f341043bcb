package dev.herald.socketio;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The handlers registered on one socket (rather than on its namespace). Few sockets have any, so
 * a socket creates its instance on the first registration and reads {@link #NONE} until then:
 * an idle connection does not pay for seven empty collections.
 *
 * <p>Threading: registered from any thread, read by handler threads; the collections are
 * concurrent or copy-on-write, so iteration is safe while someone registers.
 */
final class SocketHandlers {

    /** What a socket without registrations reads; never written to. */
    static final SocketHandlers NONE = new SocketHandlers();

    final Map<String, List<EventHandler>> events = new ConcurrentHashMap<>();
    final Map<String, CallHandler> calls = new ConcurrentHashMap<>();
    final List<AnyHandler> anyIncoming = new CopyOnWriteArrayList<>();
    final List<AnyHandler> anyOutgoing = new CopyOnWriteArrayList<>();
    final List<PacketMiddleware> middlewares = new CopyOnWriteArrayList<>();
    final List<DisconnectHandler> disconnecting = new CopyOnWriteArrayList<>();
    final List<DisconnectHandler> disconnect = new CopyOnWriteArrayList<>();
}
