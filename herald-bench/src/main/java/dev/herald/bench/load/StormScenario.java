package dev.herald.bench.load;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Connects {@code --clients} clients as fast as the server lets it, {@code --window} at a time,
 * each closed as soon as its namespace connect is answered: Engine.IO handshake plus Socket.IO
 * connect per second. {@code --transport websocket} connects straight over WebSocket;
 * {@code --transport polling} does what a browser does: a polling handshake, {@code 40} over
 * polling, then the upgrade to WebSocket with the probe. A first {@code --warmup-clients}
 * connects are not measured.
 *
 * <p>Besides connects/s it reports connects per server CPU-second (connects/s over the server's
 * share of its core), which stays a measure of the server when the generator is the bottleneck.
 */
final class StormScenario extends Scenario {
    StormScenario(Connector connector, Options options, ServerProbe server) {
        super(connector, options, server);
    }

    @Override
    void run(JsonLine out) throws Exception {
        int n = options.integer("clients", 2000);
        // Half the run, up to 5 000: a JVM server's C2 compiler still used a third of its CPU after
        // 1 500 connects, which is warm-up, not the cost of a connect.
        int warmup = options.integer("warmup-clients", Math.min(5000, n / 2));
        String transport = options.string("transport", "websocket");
        Duration timeout = options.seconds("timeout", 120);
        out.put("clients", n).put("transport", transport);

        // The first connects of a JVM (ours, and the server's) run interpreted: not measured.
        if (warmup > 0) {
            storm(warmup, 0, transport, timeout);
        }
        CpuMeter cpu = CpuMeter.self().start();
        CpuMeter serverCpu = server.cpu();
        Ramp ramp = storm(n, warmup, transport, timeout);
        double generatorCpu = cpu.fraction();
        double serverCpuUsed = serverCpu.fraction();
        // Let the last closes reach the server before it is stopped.
        sleep(Duration.ofMillis(500));

        putRamp(out, ramp);
        putCpu(out, generatorCpu, serverCpuUsed);
        // On two cores a connect costs the generator about as much CPU as the server, so the
        // generator saturates first and connects/s is refused; what the server spent per connect
        // still measures the server. Connects per second of one fully used server core:
        if (serverCpuUsed > 0) {
            out.put("connects_per_server_cpu_s", ramp.rate() / serverCpuUsed, 1);
        }
        out.put("ok", ramp.succeededCount() == n);
    }

    /** One ramp of {@code n} connects; client indexes start at {@code first}. */
    private Ramp storm(int n, int first, String transport, Duration timeout) throws Exception {
        Ramp[] holder = new Ramp[1];
        IntConsumer opener = switch (transport) {
            case "websocket" ->
                i -> connector.open(first + i, "", new SioClient.Listener() {
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
            case "polling" -> i -> new PollingUpgrade(connector, first + i, holder[0]).start();
            default -> throw new IllegalArgumentException("--transport must be websocket or polling");
        };
        holder[0] = new Ramp(connector.loop(), n, options.integer("window", 100), opener);
        return holder[0].start(timeout).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
    }
}
