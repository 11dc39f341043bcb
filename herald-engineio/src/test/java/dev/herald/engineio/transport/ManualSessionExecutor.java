package dev.herald.engineio.transport;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link SessionExecutor} driven by the test, with virtual time: nothing runs until the test
 * says so. {@link #runPending()} runs the queued tasks; {@link #advance(Duration)} moves the clock
 * forward, running each timer that falls due, in deadline order (submission order on a tie), with
 * the tasks it queues, at its own instant. {@link #nanoTime()} is the virtual clock, so every
 * deadline the engine computes follows it.
 *
 * <p>{@link #inExecutor()} is true only while this executor runs a task, as for an event loop:
 * calls the test makes directly are "from another thread" and are queued, so the engine's hand-off
 * paths are the ones tested.
 *
 * <p>Threading: meant for one test thread. {@link #execute} may be called from any thread (an
 * engine sends from handler threads), the rest from the test thread.
 */
public final class ManualSessionExecutor implements SessionExecutor {

    /** Virtual time starts here rather than at 0, so a deadline of 0 is never a real instant. */
    private static final long ORIGIN = Duration.ofDays(1).toNanos();

    // Any thread adds (guarded by this); the test thread runs.
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    // Test thread only, as the rest below.
    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(Comparator.comparingLong(Timer::at).thenComparingLong(Timer::seq));
    private long now = ORIGIN;
    private long seq;
    private int running;
    private boolean shutDown;

    @Override
    public boolean inExecutor() {
        return running > 0;
    }

    @Override
    public synchronized void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (shutDown) {
            throw new RejectedExecutionException("executor shut down");
        }
        tasks.add(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Timer t = new Timer(now + Math.max(0, delay.toNanos()), seq++, task);
        timers.add(t);
        return () -> timers.remove(t);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Runs queued tasks, and those they queue, until none is left; returns how many ran. */
    public int runPending() {
        int ran = 0;
        Runnable task;
        while ((task = nextTask()) != null) {
            run(task);
            ran++;
        }
        return ran;
    }

    /**
     * Runs the queued tasks, then moves the clock forward by {@code duration}, running every timer
     * due by then at its own instant, each followed by the tasks it queued.
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        long target = now + duration.toNanos();
        runPending();
        Timer t;
        while ((t = timers.peek()) != null && t.at() <= target) {
            timers.poll();
            // A timer overdue after a stall runs now, late; the clock never goes back.
            now = Math.max(now, t.at());
            run(t.task());
            runPending();
        }
        now = target;
    }

    /**
     * Moves the clock forward without running the timers that fall due, as a loop too busy to get
     * to them does: tasks run before them, and the next {@link #advance} runs them, late.
     */
    public void stall(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        now += duration.toNanos();
    }

    /** Virtual time elapsed since this executor was created. */
    public Duration elapsed() {
        return Duration.ofNanos(now - ORIGIN);
    }

    /** The delay until the next timer falls due, if any is scheduled. */
    public Optional<Duration> nextTimer() {
        Timer t = timers.peek();
        return t == null ? Optional.empty() : Optional.of(Duration.ofNanos(t.at() - now));
    }

    /** How many timers are scheduled and not cancelled. */
    public int scheduledTimers() {
        return timers.size();
    }

    /** From now on {@link #execute} throws {@link RejectedExecutionException}, as a stopped loop does. */
    public synchronized void shutdown() {
        shutDown = true;
        tasks.clear();
    }

    private synchronized Runnable nextTask() {
        return tasks.poll();
    }

    private void run(Runnable task) {
        running++;
        try {
            task.run();
        } finally {
            running--;
        }
    }

    private record Timer(long at, long seq, Runnable task) {}
}
