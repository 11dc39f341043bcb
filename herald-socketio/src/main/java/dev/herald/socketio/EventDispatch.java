package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.handler.AnyHandler;
import dev.herald.socketio.handler.CallHandler;
import dev.herald.socketio.handler.EventHandler;
import dev.herald.socketio.handler.PacketMiddleware;
import dev.herald.socketio.internal.Json;
import dev.herald.socketio.parser.Packet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way from an EVENT packet to a socket's handlers: counted against {@code maxPendingEvents}
 * on the event loop, then on the socket's virtual thread (or a thread of its own, in
 * {@link DispatchMode#CONCURRENT}) the packet middlewares, the catch-alls, the event handlers and
 * the value-returning handler whose result becomes the ack.
 *
 * <p>Threading: {@link #onEvent} on the connection's event loop; the rest on handler threads.
 */
final class EventDispatch {

    private static final Logger log = LoggerFactory.getLogger(EventDispatch.class);

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private final Socket socket;
    // Events received and not yet handled; incremented on the event loop, decremented by handlers.
    private final AtomicInteger pending = new AtomicInteger();
    // DispatchMode.CONCURRENT only: completed (and dropped) when `pending` drops to zero, so the
    // disconnect flow can wait for the events already started. Guarded by `pending`'s monitor.
    private CompletableFuture<Void> drained;

    EventDispatch(Socket socket) {
        this.socket = socket;
    }

    /** An EVENT packet arrived (event loop). */
    void onEvent(Packet packet) {
        Namespace nsp = socket.namespace();
        if (pending.incrementAndGet() > nsp.server().options().maxPendingEvents()) {
            socket.client().overloaded(socket);
            return;
        }
        String event = packet.data().get(0).asText();
        EventArgs args = new EventArgs(rest(packet.data()), socket, packet.id());
        nsp.server().threads().dispatch(socket.mailbox(), () -> {
            try {
                dispatch(event, args);
            } finally {
                done();
            }
        });
    }

    /**
     * In {@link DispatchMode#CONCURRENT}, waits (on the disconnect flow's virtual thread) until the
     * events already started have finished, so disconnect handlers run after them as documented.
     * In order, the mailbox guarantees it already.
     */
    void awaitStarted() {
        if (socket.namespace().server().options().dispatchMode() != DispatchMode.CONCURRENT) {
            return;
        }
        CompletableFuture<Void> wait;
        synchronized (pending) {
            if (pending.get() == 0) {
                return;
            }
            if (drained == null) {
                drained = new CompletableFuture<>();
            }
            wait = drained;
        }
        wait.join();
    }

    private void done() {
        if (pending.decrementAndGet() == 0) {
            CompletableFuture<Void> d;
            synchronized (pending) {
                d = drained;
                drained = null;
            }
            if (d != null) {
                d.complete(null);
            }
        }
    }

    private void dispatch(String event, EventArgs args) {
        SocketHandlers own = socket.handlers();
        Namespace nsp = socket.namespace();
        Handlers shared = nsp.handlers();
        Observers observers = nsp.server().observers();
        boolean observed = observers.active();
        long start = observed ? System.nanoTime() : 0;
        if (observed) {
            observers.eventReceived(socket, event, args);
        }
        try {
            handle(own, shared, event, args);
        } finally {
            if (observed) {
                observers.eventHandled(socket, event, start);
            }
        }
    }

    private void handle(SocketHandlers own, Handlers shared, String event, EventArgs args) {
        Namespace nsp = socket.namespace();
        HandlerThreads.withMdc(socket, event, () -> {
            if (!runMiddlewares(own, event, args)) {
                return;
            }
            for (AnyHandler h : shared.anyIncoming) {
                call(socket, event, () -> h.handle(socket, event, args));
            }
            for (AnyHandler h : own.anyIncoming) {
                call(socket, event, () -> h.handle(socket, event, args));
            }
            boolean handled = false;
            for (EventHandler h : own.events.getOrDefault(event, List.of())) {
                handled = true;
                call(socket, event, () -> h.handle(socket, args));
            }
            for (EventHandler h : shared.events.getOrDefault(event, List.of())) {
                handled = true;
                call(socket, event, () -> h.handle(socket, args));
            }
            CallHandler ch = own.calls.get(event);
            if (ch == null) {
                ch = shared.calls.get(event);
            }
            if (ch != null) {
                handled = true;
                CallHandler target = ch;
                call(socket, event, () -> {
                    Object result = target.handle(socket, args);
                    if (result == null) {
                        args.ack();
                    } else {
                        args.ack(result);
                    }
                });
            }
            if (!handled && shared.anyIncoming.isEmpty() && own.anyIncoming.isEmpty()) {
                log.debug("no handler for event, sid={} nsp={} event={}", socket.id(), nsp.name(), event);
            }
        });
    }

    private boolean runMiddlewares(SocketHandlers own, String event, EventArgs args) {
        for (PacketMiddleware m : own.middlewares) {
            Throwable failure =
                    socket.namespace().server().threads().runMiddleware(next -> m.handle(socket, event, args, next));
            if (failure != null) {
                socket.namespace().reportError(socket, event, failure);
                return false;
            }
        }
        return true;
    }

    /** Runs one piece of user code; what it throws goes to the error handlers. */
    static void call(Socket socket, String event, ThrowingRunnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            socket.namespace().reportError(socket, event, t);
        }
    }

    /** An event's arguments without its name. */
    static ArrayNode rest(JsonNode data) {
        ArrayNode out = Json.array();
        for (int i = 1; i < data.size(); i++) {
            out.add(data.get(i));
        }
        return out;
    }
}
