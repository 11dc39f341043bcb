package dev.herald.socketio;

import dev.herald.socketio.handler.Next;
import dev.herald.socketio.internal.Mailbox;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Where user code runs: the virtual threads of one server, the per-socket mailboxes on them, the
 * MDC keys a handler's log lines carry, and the wait for them at a graceful shutdown.
 *
 * <p>Threading: any thread may start work here; the set of live threads is concurrent.
 */
final class HandlerThreads {

    private static final Logger log = LoggerFactory.getLogger(HandlerThreads.class);

    private final DispatchMode dispatchMode;
    private final Duration middlewareTimeout;
    // One name for all: a counter in the name costs a string per thread, and a socket's mailbox
    // starts a thread for every burst of events.
    private final ThreadFactory virtualThreads =
            Thread.ofVirtual().name("herald-sio-handler").factory();
    // Any thread: every handler thread started and not yet ended, so a graceful close can wait for
    // them and interrupt the rest. Added at creation (before start), removed as the thread ends.
    private final Set<Thread> alive = ConcurrentHashMap.newKeySet();
    private final ThreadFactory factory = task -> {
        Thread[] self = new Thread[1];
        self[0] = virtualThreads.newThread(() -> {
            try {
                task.run();
            } finally {
                alive.remove(self[0]);
            }
        });
        alive.add(self[0]);
        return self[0];
    };

    HandlerThreads(DispatchMode dispatchMode, Duration middlewareTimeout) {
        this.dispatchMode = dispatchMode;
        this.middlewareTimeout = middlewareTimeout;
        // The first virtual thread of a JVM starts the carrier pool; not on a client's connect.
        try {
            Thread warm = factory.newThread(() -> {});
            warm.start();
            warm.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A serial executor for one socket's handlers. */
    Mailbox newMailbox() {
        return new Mailbox(factory);
    }

    /** Runs a task on a fresh virtual thread (ack completions, so user stages never run on a loop). */
    void async(Runnable task) {
        factory.newThread(task).start();
    }

    /** Runs an event's handlers: in the socket's mailbox, or on a thread of its own in CONCURRENT mode. */
    void dispatch(Mailbox mailbox, Runnable task) {
        if (dispatchMode == DispatchMode.CONCURRENT) {
            async(task);
        } else {
            mailbox.execute(task);
        }
    }

    /** Runs user code with the socket id, namespace and event in the logging MDC. */
    static void withMdc(Socket socket, String event, Runnable body) {
        MDC.put("sio.sid", socket.id());
        MDC.put("sio.nsp", socket.namespace().name());
        MDC.put("sio.event", event);
        try {
            body.run();
        } finally {
            MDC.remove("sio.sid");
            MDC.remove("sio.nsp");
            MDC.remove("sio.event");
        }
    }

    @FunctionalInterface
    interface MiddlewareCall {
        void run(Next next) throws Exception;
    }

    /**
     * Runs one middleware and waits for its {@code next} (the connect timeout at most); returns its
     * failure, or null when it called {@code next.proceed()}.
     */
    Throwable runMiddleware(MiddlewareCall call) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Next next = new Next() {
            @Override
            public void proceed() {
                result.complete(null);
            }

            @Override
            public void fail(Throwable error) {
                result.completeExceptionally(Objects.requireNonNull(error, "error"));
            }
        };
        try {
            call.run(next);
        } catch (Throwable t) {
            return t;
        }
        try {
            result.get(middlewareTimeout.toNanos(), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return new SocketIoException("middleware did not call next within connectTimeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** Handler threads alive now. */
    int count() {
        return alive.size();
    }

    /**
     * Waits for the handler threads (but the caller's) until {@code grace} has passed, then
     * interrupts the rest and gives them a second to notice.
     */
    void await(Duration grace) {
        Thread me = Thread.currentThread();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            for (Thread t : List.copyOf(alive)) {
                long left = deadline - System.nanoTime();
                if (t != me && left > 0) {
                    t.join(Duration.ofNanos(left));
                }
            }
            List<Thread> late = alive.stream().filter(t -> t != me).toList();
            if (late.isEmpty()) {
                return;
            }
            log.info(
                    "{} handler thread(s) still running after the {} shutdown grace, interrupting", late.size(), grace);
            late.forEach(Thread::interrupt);
            long hard = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            for (Thread t : late) {
                long left = hard - System.nanoTime();
                if (left > 0) {
                    t.join(Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
