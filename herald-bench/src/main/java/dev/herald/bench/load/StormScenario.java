package dev.herald.bench.load;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Connects {@code --clients} clients as fast as the server lets it, {@code --window} at a time,
 * each closed as soon as its namespace connect is answered: Engine.IO handshake plus Socket.IO
 * connect per second. {@code --transport websocket} connects straight over WebSocket;
 * {@code --transport polling} does what a browser does: a polling handshake, {@code 40} over
 * polling, then the upgrade to WebSocket with the probe.
 */
final class StormScenario extends Scenario {
  StormScenario(Connector connector, Options options, ServerProbe server) {
    super(connector, options, server);
  }

  @Override
  void run(JsonLine out) throws Exception {
    int n = options.integer("clients", 2000);
    String transport = options.string("transport", "websocket");
    Duration timeout = options.seconds("timeout", 120);
    out.put("clients", n).put("transport", transport);

    Ramp[] holder = new Ramp[1];
    java.util.function.IntConsumer opener = switch (transport) {
      case "websocket" -> i -> connector.open(i, "", new SioClient.Listener() {
        @Override
        public void connected(SioClient client) {
          holder[0].succeeded();
          client.close();
        }

        @Override
        public void closed(SioClient client, Throwable cause) {
          if (!client.isConnected()) {
            holder[0].failed(cause);
          }
        }
      });
      case "polling" -> i -> new PollingUpgrade(connector, i, holder[0]).start();
      default -> throw new IllegalArgumentException("--transport must be websocket or polling");
    };
    holder[0] = new Ramp(connector.loop(), n, options.integer("window", 100), opener);

    CpuMeter cpu = CpuMeter.self().start();
    CpuMeter serverCpu = server.cpu();
    Ramp ramp = holder[0].start(timeout).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
    double generatorCpu = cpu.fraction();
    double serverCpuUsed = serverCpu.fraction();
    // Let the last closes reach the server before it is stopped.
    sleep(Duration.ofMillis(500));

    putRamp(out, ramp);
    putCpu(out, generatorCpu, serverCpuUsed);
    out.put("ok", ramp.succeededCount() == n);
  }
}
