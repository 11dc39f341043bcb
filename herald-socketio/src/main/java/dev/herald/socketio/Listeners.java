package dev.herald.socketio;

import dev.herald.socketio.handler.AnyHandler;
import dev.herald.socketio.handler.CallHandler;
import dev.herald.socketio.handler.DisconnectHandler;
import dev.herald.socketio.handler.EventHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The listeners a socket and a namespace have in common, with the ways Node's EventEmitter has to
 * add and remove them: {@code on}, {@code once}, {@code off}, {@code onAny}, {@code prependAny},
 * {@code offAny}, their outgoing twins, and {@code removeAllListeners}.
 *
 * <p>Threading: changed from any thread, read by handler threads; the collections are concurrent
 * or copy-on-write, so iteration is safe while someone adds or removes.
 */
class Listeners {

    final Map<String, List<EventHandler>> events = new ConcurrentHashMap<>();
    final Map<String, CallHandler> calls = new ConcurrentHashMap<>();
    final List<AnyHandler> anyIncoming = new CopyOnWriteArrayList<>();
    final List<AnyHandler> anyOutgoing = new CopyOnWriteArrayList<>();
    final List<DisconnectHandler> disconnecting = new CopyOnWriteArrayList<>();
    final List<DisconnectHandler> disconnect = new CopyOnWriteArrayList<>();

    /** A handler that removes itself before it first runs, so it runs once even under concurrent dispatch. */
    private record Once(String event, EventHandler target, AtomicBoolean fired, Listeners owner)
            implements EventHandler {
        @Override
        public void handle(Socket socket, EventArgs args) throws Exception {
            if (fired.compareAndSet(false, true)) {
                owner.remove(event, this);
                target.handle(socket, args);
            }
        }
    }

    void addEvent(String event, EventHandler handler) {
        events.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(handler);
    }

    void addOnce(String event, EventHandler handler) {
        addEvent(event, new Once(event, handler, new AtomicBoolean(), this));
    }

    void addCall(String event, CallHandler handler) {
        if (calls.putIfAbsent(event, handler) != null) {
            throw new IllegalStateException("a value-returning handler for \"" + event + "\" is already registered");
        }
    }

    /** Removes one handler of the event (registered with on or once); false if it was not there. */
    boolean off(String event, EventHandler handler) {
        List<EventHandler> list = events.get(event);
        return list != null && list.removeIf(h -> h == handler || h instanceof Once o && o.target() == handler);
    }

    private void remove(String event, EventHandler exact) {
        List<EventHandler> list = events.get(event);
        if (list != null) {
            list.remove(exact);
        }
    }

    /** Removes every handler of the event, the value-returning one included. */
    void offAll(String event) {
        switch (event) {
            case "disconnect" -> disconnect.clear();
            case "disconnecting" -> disconnecting.clear();
            default -> {
                events.remove(event);
                calls.remove(event);
            }
        }
    }

    void removeAll() {
        events.clear();
        calls.clear();
        anyIncoming.clear();
        anyOutgoing.clear();
        disconnecting.clear();
        disconnect.clear();
    }
}
