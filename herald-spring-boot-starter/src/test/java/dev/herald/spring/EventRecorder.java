package dev.herald.spring;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** An application's {@code @EventListener}s for Herald's events, recording what they see, in order. */
@Component
class EventRecorder {

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @EventListener
    void connected(SocketConnectedEvent event) {
        events.add(event);
    }

    @EventListener
    void disconnected(SocketDisconnectedEvent event) {
        events.add(event);
    }

    @EventListener
    void room(RoomEvent event) {
        events.add(event);
    }

    /** The next event of this type about this socket id, skipping its other events. */
    <T> T next(String sid, Class<T> type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object e = next(sid, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
    }

    /**
     * The next event about this socket id, skipping those of other sockets (other tests' clients
     * may still be leaving); fails if none comes within the timeout.
     */
    Object next(String sid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no event for socket " + sid + " within " + timeout);
            }
            String id = switch (e) {
                case SocketConnectedEvent c -> c.socket().id();
                case SocketDisconnectedEvent d -> d.socket().id();
                case RoomEvent r -> r.socketId();
                default -> throw new AssertionError(e);
            };
            if (id.equals(sid)) {
                return e;
            }
        }
    }
}
