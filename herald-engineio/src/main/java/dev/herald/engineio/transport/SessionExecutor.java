package dev.herald.engineio.transport;

import java.time.Duration;

/**
 * A single thread that runs tasks in submission order: the home event loop of a session, or the
 * event loop of one connection. Implemented by the transport (a Netty {@code EventLoop}).
 */
public interface SessionExecutor {

    /** Whether the calling thread is this executor's thread. */
    boolean inExecutor();

    /** Runs the task on this executor's thread, after tasks already submitted. */
    void execute(Runnable task);

    /** Runs the task once after the delay; the returned handle cancels it. */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * This executor's clock, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}:
     * the time that {@link #schedule} delays are measured against. The engine reads time only here
     * (deadlines of pings and closes), so a test executor with virtual time also controls every
     * timeout. The default is {@link System#nanoTime()}.
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not run yet. */
        void cancel();
    }
}
