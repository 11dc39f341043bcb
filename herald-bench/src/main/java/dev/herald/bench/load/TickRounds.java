package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The rounds of a broadcast measurement, shared by {@link BroadcastScenario} and
 * {@link ClusterBroadcast}: each round the trigger emits {@code ["bcast",<round>]} and every
 * receiver should get {@code ["tick",<round>]}. A round ends when all receivers have it or after
 * the round timeout; the next starts after a gap. Records the time from the trigger to the first
 * and to the last delivery of every complete measured round.
 *
 * <p>Threading: every method but {@link #done()} and {@link #bound()} runs on {@code loop}, the
 * generator's event loop, which owns all fields.
 */
final class TickRounds {
    private static final String TICK = "42[\"tick\",";

    /** What differs between the scenarios. Called on the loop. */
    interface Hooks {
        /** Sends {@code ["bcast",round]} from the trigger client. */
        void trigger(int round);

        /** The first measured round starts now: CPU meters start here. */
        default void measuring() {}

        /** A round starts: per-round counters reset here. */
        default void roundStarted() {}

        /** Receiver {@code client} got this round's tick at {@code now}. */
        default void delivered(SioClient client, long now) {}

        /** A measured round completed; it started at {@code roundStart}. */
        default void completed(long roundStart) {}
    }

    private final EventLoop loop;
    private final int receivers;
    private final int rounds;
    private final int warmupRounds;
    private final Duration gap;
    private final Duration roundTimeout;
    private final Hooks hooks;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Histogram first = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final Histogram last = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private int round;
    private long roundStart;
    private long firstAt;
    private long lastAt;
    private int delivered;
    private long measuredDeliveries;
    private long measuredNanos;
    private int incompleteRounds;
    private long missing;
    private long late;
    private ScheduledFuture<?> roundTimer;

    TickRounds(EventLoop loop, int receivers, Options options, Hooks hooks) {
        this.loop = loop;
        this.receivers = receivers;
        this.rounds = options.integer("rounds", 30);
        this.warmupRounds = options.integer("warmup-rounds", 10);
        this.gap = options.seconds("gap", 0.05);
        this.roundTimeout = options.seconds("round-timeout", 10);
        this.hooks = hooks;
    }

    int rounds() {
        return rounds;
    }

    /** Completes after the last round. Any thread. */
    CompletableFuture<Void> done() {
        return done;
    }

    /** How long all rounds may take at most, in milliseconds. Any thread. */
    long bound() {
        return (rounds + warmupRounds) * (roundTimeout.toMillis() + gap.toMillis()) + 30_000;
    }

    /** Starts the first round; from any thread. */
    void start() {
        loop.execute(this::startRound);
    }

    /** An event frame reached a receiver; anything but this round's tick is ignored or counted late. */
    void onEvent(SioClient client, ByteBuf frame) {
        if (!Frames.startsWith(frame, TICK)) {
            return;
        }
        long now = System.nanoTime();
        if (Frames.number(frame, TICK.length()) != round || roundTimer == null) {
            late++;
            return;
        }
        if (delivered++ == 0) {
            firstAt = now;
        }
        lastAt = now;
        hooks.delivered(client, now);
        if (delivered == receivers) {
            endRound(true);
        }
    }

    private void startRound() {
        if (round == warmupRounds) {
            hooks.measuring();
        }
        round++;
        delivered = 0;
        hooks.roundStarted();
        roundStart = System.nanoTime();
        roundTimer = loop.schedule(() -> endRound(false), roundTimeout.toNanos(), TimeUnit.NANOSECONDS);
        hooks.trigger(round);
    }

    private void endRound(boolean complete) {
        roundTimer.cancel(false);
        roundTimer = null;
        if (round > warmupRounds) {
            if (complete) {
                first.recordValue(firstAt - roundStart);
                last.recordValue(lastAt - roundStart);
                measuredDeliveries += delivered;
                measuredNanos += lastAt - roundStart;
                hooks.completed(roundStart);
            } else {
                incompleteRounds++;
                missing += receivers - delivered;
            }
        }
        if (round >= warmupRounds + rounds) {
            done.complete(null);
        } else {
            loop.schedule(this::startRound, gap.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** A copy of the first-delivery histogram (ns); from any thread. */
    Histogram first() throws Exception {
        return loop.submit(first::copy).get(30, TimeUnit.SECONDS);
    }

    /** A copy of the last-delivery histogram (ns); from any thread. */
    Histogram last() throws Exception {
        return loop.submit(last::copy).get(30, TimeUnit.SECONDS);
    }

    // Read after done() completed, which orders them after the loop's last write.

    double deliveriesPerSecond() {
        return measuredNanos > 0 ? measuredDeliveries / (measuredNanos / 1e9) : 0;
    }

    /** Deliveries in the measured rounds that completed. */
    long measuredDeliveries() {
        return measuredDeliveries;
    }

    int incompleteRounds() {
        return incompleteRounds;
    }

    long missing() {
        return missing;
    }

    long late() {
        return late;
    }

    /** A percentile in milliseconds, -1 for an empty histogram. */
    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(percentile) / 1e6;
    }
}
