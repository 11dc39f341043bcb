package dev.herald.socketio.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring problem at WARN at most once per interval per kind, with how many occurred
 * since the last line; every occurrence still goes to DEBUG. Thread-safe, never blocks.
 */
public final class LogOnce {

    private final Logger log;
    private final long intervalNanos;
    private final Map<String, AtomicLong> lastWarn = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> suppressed = new ConcurrentHashMap<>();

    /** @param intervalNanos the shortest time between two WARN lines of one kind */
    public LogOnce(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** Records one occurrence of {@code kind} (a fixed text, never a payload). */
    public void warn(String kind, String sid) {
        log.debug("{}, sid={}", kind, sid);
        long now = System.nanoTime();
        AtomicLong last = lastWarn.computeIfAbsent(kind, k -> new AtomicLong(now - intervalNanos - 1));
        AtomicLong count = suppressed.computeIfAbsent(kind, k -> new AtomicLong());
        long prev = last.get();
        if (now - prev > intervalNanos && last.compareAndSet(prev, now)) {
            long others = count.getAndSet(0);
            log.warn("{} (sid={}){}", kind, sid, others > 0 ? "; " + others + " more since the last report" : "");
        } else {
            count.incrementAndGet();
        }
    }
}
