package dev.herald.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at the server process from outside: its resident memory, and a full garbage collection
 * before each reading so that the number is live data, not garbage not yet collected.
 *
 * <p>JVM servers are collected with {@code jcmd <pid> GC.run}; the Node server collects itself on
 * {@code SIGUSR2} (it runs with {@code --expose-gc}).
 */
final class ServerProbe {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private final long pid;
    private final String gc;

    /**
     * @param pid the server's process id, or 0 when unknown (then nothing is measured)
     * @param gc {@code jcmd}, {@code usr2} or {@code none}
     */
    ServerProbe(long pid, String gc) {
        this.pid = pid;
        this.gc = gc;
        if (!List.of("jcmd", "usr2", "none").contains(gc)) {
            throw new IllegalArgumentException("--server-gc must be jcmd, usr2 or none, got '" + gc + "'");
        }
    }

    boolean known() {
        return pid > 0;
    }

    /** Runs a full collection in the server and gives it a moment to return memory. */
    void collect() {
        if (!known() || gc.equals("none")) {
            return;
        }
        List<String> cmd = gc.equals("jcmd")
                ? List.of(jcmd(), Long.toString(pid), "GC.run")
                : List.of("kill", "-USR2", Long.toString(pid));
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Thread.sleep(1000);
        } catch (IOException e) {
            System.err.println("bench: could not collect garbage in " + pid + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Java heap in use in kB, as {@code jcmd GC.heap_info} reports it (right after {@link #collect()},
     * that is live data), or -1 for a server that is not a JVM or cannot be asked.
     */
    long heapUsedKb() {
        if (!known() || !gc.equals("jcmd")) {
            return -1;
        }
        try {
            Process p = new ProcessBuilder(jcmd(), Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true)
                    .start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            Matcher m = HEAP_USED.matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    /** VmRSS in kB, or -1 if unknown. */
    long rssKb() {
        return status("VmRSS:");
    }

    /** The server's live threads, or -1 if unknown. */
    long threads() {
        return status("Threads:");
    }

    /** The number on the line of /proc/<pid>/status that starts with {@code key}; -1 if unknown. */
    private long status(String key) {
        if (!known()) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the server is gone: reported as -1
        }
        return -1;
    }

    /** The machine's one-minute load average, or -1 off Linux. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A CPU meter on the server, started now; reads -1 when the pid is unknown. */
    CpuMeter cpu() {
        return CpuMeter.of(pid).start();
    }
}
