package dev.herald.examples;

import dev.herald.socketio.BackgroundTask;
import java.time.Duration;

/**
 * Counts the demo work that is running now (event handlers that take a while, background jobs), so
 * a shutdown can give it a bounded time to finish. Thread-safe.
 */
final class RunningWork {

    /** A piece of work that may block and throw. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private final Object lock = new Object();
    // Guarded by lock: how many bodies have entered and not yet left.
    private int running;

    /** Runs the body on this thread, counted while it runs. */
    void run(Body body) throws Exception {
        enter();
        try {
            body.run();
        } finally {
            exit();
        }
    }

    /**
     * Wraps a background task body. It is counted from now, not from when its thread starts, so a
     * shutdown right after {@code startBackgroundTask} still waits for it.
     */
    BackgroundTask.Body track(BackgroundTask.Body body) {
        enter();
        return () -> {
            try {
                body.run();
            } finally {
                exit();
            }
        };
    }

    /** How many pieces of work are running. */
    int running() {
        synchronized (lock) {
            return running;
        }
    }

    /** Waits until nothing runs, at most {@code timeout}; returns whether it got there. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void enter() {
        synchronized (lock) {
            running++;
        }
    }

    private void exit() {
        synchronized (lock) {
            if (--running == 0) {
                lock.notifyAll();
            }
        }
    }
}
