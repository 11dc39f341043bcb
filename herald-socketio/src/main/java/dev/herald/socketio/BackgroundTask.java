package dev.herald.socketio;

import java.time.Duration;
import java.util.Objects;

/**
 * A handle on a task started with {@link SocketIoServer#startBackgroundTask}: it runs on its own
 * named virtual thread, and may emit to any socket or room while it runs.
 */
public final class BackgroundTask {

    /** The body of a background task; it may block and throw. */
    @FunctionalInterface
    public interface Body {
        /** Runs the task. Should return promptly when interrupted (see {@link #cancel()}). */
        void run() throws Exception;
    }

    private final Thread thread;

    BackgroundTask(Thread thread) {
        this.thread = Objects.requireNonNull(thread, "thread");
    }

    /** The task's thread name. */
    public String name() {
        return thread.getName();
    }

    /** Asks the task to stop by interrupting its thread. */
    public void cancel() {
        thread.interrupt();
    }

    /** Whether the task has finished (normally, by failure or after cancel). */
    public boolean isDone() {
        return !thread.isAlive();
    }

    /** Waits until the task finishes. */
    public void join() throws InterruptedException {
        thread.join();
    }

    /** Waits at most {@code timeout}; returns whether the task finished. */
    public boolean join(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }
}
