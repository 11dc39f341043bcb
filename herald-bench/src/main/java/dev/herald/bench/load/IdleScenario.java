package dev.herald.bench.load;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Holds {@code --clients} idle connections and measures what each costs the server in resident
 * memory (after a full collection, before and after), and how fast they were set up.
 */
final class IdleScenario extends Scenario {
  IdleScenario(Connector connector, Options options, ServerProbe server) {
    super(connector, options, server);
  }

  @Override
  void run(JsonLine out) throws Exception {
    int n = options.integer("clients", 1000);
    int window = options.integer("window", 200);
    Duration hold = options.seconds("hold", 2);
    out.put("clients", n);

    server.collect();
    long before = server.rssKb();

    Fleet fleet = new Fleet(connector, n, new SioClient.Listener() {
      @Override
      public void connected(SioClient client) {}

      @Override
      public void closed(SioClient client, Throwable cause) {}
    });
    CpuMeter cpu = CpuMeter.self().start();
    CpuMeter serverCpu = server.cpu();
    Ramp ramp = fleet.connect(window, options.seconds("timeout", 120))
        .get(options.seconds("timeout", 120).toSeconds() + 30, TimeUnit.SECONDS);
    double generatorCpu = cpu.fraction();
    double serverCpuUsed = serverCpu.fraction();

    sleep(hold);
    server.collect();
    long after = server.rssKb();
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
    putCpu(out, generatorCpu, serverCpuUsed);
    out.put("ok", held == n && dropped == 0);
  }
}
