package dev.herald.servlet;

import dev.herald.engineio.transport.SessionExecutor;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Herald's own event loops inside a servlet container: a few single-thread executors, each the
 * home of the sessions it opened, as Netty's event loops are in herald-netty. The container's
 * threads only read requests and frames and hand them here; they never touch session state and
 * never wait for a session.
 *
 * <p>Threading: {@link #next()} from any thread; {@link #shutdown(Duration)} once, from any thread.
 */
final class Loops {

    private final Loop[] loops;
    private final AtomicInteger nextIndex = new AtomicInteger();

    Loops(int count, String name) {
        loops = new Loop[count];
        for (int i = 0; i < count; i++) {
            loops[i] = new Loop(name + "-" + i);
        }
    }

    /** A loop for a new connection or request, round robin. */
    SessionExecutor next() {
        return loops[Math.floorMod(nextIndex.getAndIncrement(), loops.length)];
    }

    /** Stops taking tasks, runs those queued (not the timers), and waits up to {@code timeout}. */
    void shutdown(Duration timeout) {
        for (Loop l : loops) {
            l.executor.shutdown();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Loop l : loops) {
                l.executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Loop l : loops) {
            l.executor.shutdownNow();
        }
    }

    /** One platform thread with a precise timer queue (the Engine.IO suite checks heartbeats to a few ms). */
    private static final class Loop implements SessionExecutor {
        private final ScheduledThreadPoolExecutor executor;
        // Set once by the thread factory, before any task runs; read from any thread.
        private volatile Thread thread;

        Loop(String name) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                thread = t;
                return t;
            });
            // Cancelled heartbeats and upgrade timers leave the queue at once instead of at their deadline.
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor.prestartCoreThread();
        }

        @Override
        public boolean inExecutor() {
            return Thread.currentThread() == thread;
        }

        @Override
        public void execute(Runnable task) {
            executor.execute(task);
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public String toString() {
            return thread.getName();
        }
    }
}
