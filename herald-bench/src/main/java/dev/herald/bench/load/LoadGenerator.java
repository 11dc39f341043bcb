package dev.herald.bench.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The load generator: one process, one event loop thread, tens of thousands of raw Engine.IO v4 /
 * Socket.IO v5 clients. Runs one scenario and prints one JSON line with its results on stdout.
 *
 * <pre>
 * java -cp ... dev.herald.bench.load.LoadGenerator --scenario echo --port 3000 \
 *     [--host 127.0.0.1] [--label node] [--server-pid PID --server-gc jcmd|usr2|none]
 *     idle:      --clients 1000 --warmup-clients 250 --window 200 --hold 2
 *     echo:      --clients 100 --pipeline 1 --warmup 2 --duration 5
 *     broadcast: --clients 1000 --rounds 30 --warmup-rounds 10 --gap 0.05 --round-timeout 10
 *     echo and broadcast: --payload BYTES (default: a 32-character string for echo, nothing for
 *                broadcast) --deflate (every client offers permessage-deflate; the run fails if
 *                the server does not accept it)
 *     storm:     --clients 2000 --warmup-clients 500 (n/4, at most 2000) --window 100
 *                --transport websocket|polling
 *     soak:      --cycles 200000 --window 100 --polling-every 4 --timeout 1800
 *     jitter:    --clients 200 --duration 10 --tick 0.02 --drop-min 1.5 --drop-max 4
 *                --reconnect-max 0.5 --settle 15 --parked 1000 --seed 11
 *                (the server must have connection state recovery on)
 *     all:       --per-source 5000 (clients per loopback source address) --source-offset 0
 *                --timeout 120 --connect-timeout 15
 * </pre>
 *
 * <p>It is meant to run pinned to one core ({@code taskset -c 1}); it reports the share of that
 * core it used, and {@code "saturated": true} when that is 90 % or more, because then the numbers
 * measure the generator rather than the server. Echo and broadcast also report the server's CPU
 * and the bytes on the wire (TCP payload, each way) per ack or delivery over the measured part.
 */
public final class LoadGenerator {
    private LoadGenerator() {}

    /** Runs the scenario named by {@code --scenario}; exits 1 if it could not run at all. */
    public static void main(String[] args) throws Exception {
        JsonLine out = run(new Options(args));
        System.out.println(out);
        System.out.flush();
        System.exit(out.has("error") ? 1 : 0);
    }

    /** Runs one scenario and returns its result; an error is reported in the result, not thrown. */
    static JsonLine run(Options options) throws InterruptedException {
        String scenario = options.string("scenario", "echo");
        JsonLine out = new JsonLine()
                .put("scenario", scenario)
                .put("label", options.string("label", ""))
                .put("started", Instant.now().toString())
                .put("generator_transport", Transports.name());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transports.ioHandler());
        try {
            boolean deflate = Boolean.parseBoolean(options.string("deflate", "false"));
            if ((deflate || options.has("payload")) && !scenario.equals("echo") && !scenario.equals("broadcast")) {
                throw new IllegalArgumentException("--deflate and --payload are for echo and broadcast only");
            }
            Connector connector = new Connector(
                    group.next(),
                    options.string("host", "127.0.0.1"),
                    options.integer("port", 3000),
                    options.integer("per-source", 5000),
                    options.integer("source-offset", 0),
                    (int) options.seconds("connect-timeout", 15).toMillis(),
                    deflate);
            ServerProbe server = new ServerProbe(options.integer("server-pid", 0), options.string("server-gc", "none"));
            Scenario s = switch (scenario) {
                case "idle" -> new IdleScenario(connector, options, server);
                case "echo" -> new EchoScenario(connector, options, server);
                case "broadcast" -> new BroadcastScenario(connector, options, server);
                case "storm" -> new StormScenario(connector, options, server);
                case "soak" -> new SoakScenario(connector, options, server);
                case "jitter" -> new JitterScenario(connector, options, server);
                default ->
                    throw new IllegalArgumentException(
                            "--scenario must be idle, echo, broadcast, storm, soak or jitter, got '" + scenario + "'");
            };
            s.run(out);
            // Other work on the machine shows here first: the numbers are worth less when it is high.
            out.put("loadavg", ServerProbe.loadAverage(), 2);
        } catch (Exception e) {
            out.put("ok", false).put("error", e.toString());
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        return out;
    }
}
