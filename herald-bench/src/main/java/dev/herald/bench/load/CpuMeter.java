package dev.herald.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process used over a stretch of wall time, from {@code /proc/<pid>/stat}.
 *
 * <p>The fraction is of one core: 1.0 means the process kept one core busy the whole time. The
 * generator runs pinned to one core, so at 0.9 or more it is the bottleneck, not the server.
 */
final class CpuMeter {
    /** Linux reports utime and stime in clock ticks of 1/100 s on every platform we run on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Path stat;
    private long startTicks;
    private long startNanos;

    private CpuMeter(Path stat) {
        this.stat = stat;
    }

    static CpuMeter self() {
        return new CpuMeter(Path.of("/proc/self/stat"));
    }

    /** A meter on another process; one on pid 0 or less (unknown) always reads -1. */
    static CpuMeter of(long pid) {
        return new CpuMeter(pid > 0 ? Path.of("/proc/" + pid + "/stat") : null);
    }

    CpuMeter start() {
        startTicks = ticks();
        startNanos = System.nanoTime();
        return this;
    }

    /** Cores used since {@link #start()}, or -1 if the process could not be read. */
    double fraction() {
        long ticks = ticks();
        double wall = (System.nanoTime() - startNanos) / 1e9;
        if (ticks < 0 || startTicks < 0 || wall <= 0) {
            return -1;
        }
        return (ticks - startTicks) / TICKS_PER_SECOND / wall;
    }

    /**
     * CPU seconds used since {@link #start()} (to 1/100 s), or -1 if the process could not be
     * read: what a stretch of work cost, whatever its wall time.
     */
    double seconds() {
        long ticks = ticks();
        return ticks < 0 || startTicks < 0 ? -1 : (ticks - startTicks) / TICKS_PER_SECOND;
    }

    /** utime + stime, fields 14 and 15; the command name before them may contain spaces. */
    private long ticks() {
        if (stat == null) {
            return -1;
        }
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
