package dev.herald.bench.load;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Starts {@code total} attempts with at most {@code window} in flight at once, and completes when
 * each has succeeded or failed, or when the deadline passes (then what is still in flight is left
 * as neither).
 *
 * <p>Runs on the generator's event loop: {@link #succeeded} and {@link #failed} must be called
 * there; all counters are owned by that loop.
 */
final class Ramp {
    private final EventLoop loop;
    private final int total;
    private final int window;
    private final IntConsumer opener;
    private final CompletableFuture<Ramp> done = new CompletableFuture<>();
    private int started;
    private int succeeded;
    private int failed;
    private long startNanos;
    private long endNanos;
    private Throwable firstError;
    private ScheduledFuture<?> deadline;

    Ramp(EventLoop loop, int total, int window, IntConsumer opener) {
        this.loop = loop;
        this.total = total;
        this.window = Math.max(1, window);
        this.opener = opener;
    }

    /** Starts the ramp; the future completes on the event loop. */
    CompletableFuture<Ramp> start(Duration timeout) {
        loop.execute(() -> {
            startNanos = System.nanoTime();
            deadline = loop.schedule(this::finish, timeout.toNanos(), TimeUnit.NANOSECONDS);
            fill();
        });
        return done;
    }

    void succeeded() {
        succeeded++;
        fill();
    }

    void failed(Throwable cause) {
        failed++;
        if (firstError == null && cause != null) {
            firstError = cause;
        }
        fill();
    }

    private void fill() {
        while (!done.isDone() && started < total && started - succeeded - failed < window) {
            opener.accept(started++);
        }
        if (succeeded + failed >= total) {
            finish();
        }
    }

    private void finish() {
        if (done.isDone()) {
            return;
        }
        endNanos = System.nanoTime();
        if (deadline != null) {
            deadline.cancel(false);
        }
        done.complete(this);
    }

    int succeededCount() {
        return succeeded;
    }

    int failedCount() {
        return failed;
    }

    /** Attempts that neither succeeded nor failed before the ramp ended. */
    int unfinishedCount() {
        return total - succeeded - failed;
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** Successes per second over the whole ramp. */
    double rate() {
        double s = seconds();
        return s > 0 ? succeeded / s : 0;
    }

    String firstError() {
        return firstError == null ? "" : firstError.toString();
    }
}
