package dev.herald.socketio;

import dev.herald.socketio.handler.ConnectHandler;
import dev.herald.socketio.handler.ErrorHandler;
import dev.herald.socketio.handler.Middleware;
import dev.herald.socketio.handler.RecoveryFailedHandler;
import dev.herald.socketio.handler.ServerSideEmitHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The handlers registered on a namespace. A dynamic namespace's children share their parent's
 * instance, so a handler registered on the parent serves every child, as in the reference.
 *
 * <p>Threading: registered from any thread (usually before start), read by handler threads;
 * copy-on-write lists make iteration safe while someone registers.
 */
final class Handlers extends Listeners {
    final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    final List<ConnectHandler> connect = new CopyOnWriteArrayList<>();
    final List<RecoveryFailedHandler> recoveryFailed = new CopyOnWriteArrayList<>();
    // Set from any thread, read by handler threads; empty means the server's handler.
    volatile Optional<ErrorHandler> error = Optional.empty();
    final Map<String, List<ServerSideEmitHandler>> serverSide = new ConcurrentHashMap<>();
}
