package dev.herald.bench.load;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Holds {@code --clients} idle connections and measures what each costs the server in resident
 * memory (after a full collection, before and after), and how fast they were set up. A first
 * {@code --warmup-clients} connect and leave before the baseline is read.
 */
final class IdleScenario extends Scenario {
    private static final SioClient.Listener IGNORE = new SioClient.Listener() {
        @Override
        public void connected(SioClient client) {}

        @Override
        public void closed(SioClient client, Throwable cause) {}
    };

    IdleScenario(Connector connector, Options options, ServerProbe server) {
        super(connector, options, server);
    }

    @Override
    void run(JsonLine out) throws Exception {
        int n = options.integer("clients", 1000);
        int window = options.integer("window", 200);
        Duration hold = options.seconds("hold", 2);
        int warmup = options.integer("warmup-clients", Math.min(1000, n / 4));
        Duration timeout = options.seconds("timeout", 120);
        out.put("clients", n);

        // The server's first connections load classes and get its code compiled: memory that
        // is not per connection. They come and go before the baseline is read.
        if (warmup > 0) {
            Fleet first = new Fleet(connector, warmup, IGNORE);
            first.connect(window, timeout).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
            first.closeAll(Duration.ofSeconds(30)).get();
            sleep(Duration.ofSeconds(1));
        }
        server.collect();
        long before = server.rssKb();
        long heapBefore = server.heapUsedKb();

        Fleet fleet = new Fleet(connector, n, IGNORE);
        CpuMeter cpu = CpuMeter.self().start();
        CpuMeter serverCpu = server.cpu();
        Ramp ramp = fleet.connect(window, timeout).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
        double generatorCpu = cpu.fraction();
        double serverCpuUsed = serverCpu.fraction();

        sleep(hold);
        server.collect();
        long after = server.rssKb();
        long heapAfter = server.heapUsedKb();
        int held = onLoop(fleet::openCount);
        int dropped = onLoop(fleet::droppedCount);
        fleet.closeAll(Duration.ofSeconds(30)).get();

        putRamp(out, ramp);
        out.put("held", held)
                .put("dropped", dropped)
                .put("rss_before_kb", before)
                .put("rss_after_kb", after);
        if (before > 0 && after > 0 && held > 0) {
            out.put("bytes_per_conn", (after - before) * 1024.0 / held, 0);
        }
        // JVM servers: live heap per connection, free of how much heap the collector keeps committed.
        if (heapBefore > 0 && heapAfter > 0 && held > 0) {
            out.put("heap_before_kb", heapBefore)
                    .put("heap_after_kb", heapAfter)
                    .put("heap_bytes_per_conn", (heapAfter - heapBefore) * 1024.0 / held, 0);
        }
        putCpu(out, generatorCpu, serverCpuUsed);
        out.put("ok", held == n && dropped == 0);
    }
}
