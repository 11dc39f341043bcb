package dev.herald.socketio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler with virtual time for the Socket.IO layer's timers: nothing runs until the test
 * calls {@link #advance}, which runs the tasks due by then, in time order, on the test's thread.
 * What the timers hand to virtual threads (a failed ack future) still completes on its own.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> due = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean shutdown;

    /** Moves the clock forward, running every task due by the new time. */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = due.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                due.poll();
                now = next.at;
            }
            next.run();
        }
    }

    /** Tasks waiting, cancelled ones excluded. */
    synchronized int pending() {
        return (int) due.stream().filter(t -> !t.isCancelled()).count();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(
                () -> {
                    command.run();
                    return null;
                },
                unit.toNanos(delay),
                0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(
                () -> {
                    command.run();
                    return null;
                },
                unit.toNanos(initialDelay),
                unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        due.clear();
        return new ArrayList<>();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private synchronized <V> Task<V> add(Callable<V> body, long delayNanos, long periodNanos) {
        Task<V> task = new Task<>(body, now + Math.max(0, delayNanos), periodNanos, sequence++);
        if (!shutdown) {
            due.add(task);
        }
        return task;
    }

    private final class Task<V> extends CompletableFuture<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> body;
        private final long period;
        private final long seq;
        private long at;

        Task(Callable<V> body, long at, long period, long seq) {
            this.body = body;
            this.at = at;
            this.period = period;
            this.seq = seq;
        }

        @Override
        public void run() {
            if (isCancelled()) {
                return;
            }
            try {
                V value = body.call();
                if (period > 0) {
                    synchronized (ManualScheduler.this) {
                        at += period;
                        if (!shutdown) {
                            due.add(this);
                        }
                    }
                } else {
                    complete(value);
                }
            } catch (Exception e) {
                completeExceptionally(e);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(at - now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> other = (Task<?>) o;
            int c = Long.compare(at, other.at);
            return c != 0 ? c : Long.compare(seq, other.seq);
        }
    }
}
