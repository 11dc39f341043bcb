package dev.herald.spring;

import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes {@link RoomJoinedEvent} and {@link RoomLeftEvent}. The adapter reports a join while it
 * holds its room lock, possibly on an event loop (a join relayed from another node), so listeners
 * cannot run there: each event goes to a virtual thread, chained behind the previous event of the
 * same socket so that a socket's joins and leaves arrive in the order they happened.
 */
final class RoomEvents implements SocketIoObserver {

    private static final Logger log = LoggerFactory.getLogger(RoomEvents.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final ApplicationEventPublisher publisher;
    private final Executor executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("herald-room-event-", 0).factory());
    // Written by whichever thread joins or leaves, and by the chain's own completions: the last
    // pending publication of each socket, removed once it has run.
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    RoomEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void roomJoined(Namespace namespace, String room, String socketId) {
        publish(socketId, new RoomJoinedEvent(namespace.name(), room, socketId));
    }

    @Override
    public void roomLeft(Namespace namespace, String room, String socketId) {
        publish(socketId, new RoomLeftEvent(namespace.name(), room, socketId));
    }

    private void publish(String socketId, RoomEvent event) {
        CompletableFuture<Void> next = tails.compute(
                socketId, (id, tail) -> (tail == null ? DONE : tail).thenRunAsync(() -> deliver(event), executor));
        next.whenComplete((v, t) -> tails.remove(socketId, next));
    }

    private void deliver(RoomEvent event) {
        try {
            publisher.publishEvent(event);
        } catch (RuntimeException e) {
            // A listener's failure must not skip the socket's later events, which wait on this one.
            log.error("a listener of {} for socket {} threw", event.getClass().getSimpleName(), event.socketId(), e);
        }
    }

    /** How many sockets have room events still to publish (for tests). */
    int pending() {
        return tails.size();
    }
}
