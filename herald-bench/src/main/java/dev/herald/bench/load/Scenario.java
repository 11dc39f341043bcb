package dev.herald.bench.load;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One measured scenario. It runs on the caller's thread, which only orchestrates and sleeps; all
 * network work happens on the connector's event loop.
 */
abstract class Scenario {
    /** The generator is the bottleneck once it used this much of its one core. */
    static final double SATURATED = 0.9;

    final Connector connector;
    final Options options;
    final ServerProbe server;

    Scenario(Connector connector, Options options, ServerProbe server) {
        this.connector = connector;
        this.options = options;
        this.server = server;
    }

    /** Runs the scenario and puts its parameters and results into {@code out}. */
    abstract void run(JsonLine out) throws Exception;

    /** Runs {@code task} on the event loop and waits for its result. */
    <T> T onLoop(Callable<T> task) throws Exception {
        return connector.loop().submit(task).get(30, TimeUnit.SECONDS);
    }

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** Puts the CPU readings and the saturation verdict. */
    static void putCpu(JsonLine out, double generator, double server) {
        out.put("generator_cpu", generator, 3).put("server_cpu", server, 3).put("saturated", generator >= SATURATED);
    }

    /**
     * Puts what one message cost over the measured window: the server's CPU in µs and the bytes
     * on the wire each way (in: read by the clients, out: written by them), per ack or delivery.
     * {@code serverCpuSeconds} below 0 (unknown server) puts no CPU figure.
     */
    static void putPerMessage(JsonLine out, String unit, double serverCpuSeconds, WireBytes.Count wire, long messages) {
        out.put("wire_bytes_in", wire.in()).put("wire_bytes_out", wire.out());
        if (messages <= 0) {
            return;
        }
        if (serverCpuSeconds >= 0) {
            out.put("server_cpu_us_per_" + unit, serverCpuSeconds * 1e6 / messages, 2);
        }
        out.put("wire_bytes_in_per_msg", (double) wire.in() / messages, 1)
                .put("wire_bytes_out_per_msg", (double) wire.out() / messages, 1);
    }

    /**
     * Puts whether the clients offered deflate and fails the run, loudly, when deflate was asked
     * for and a server answered a handshake without it: the numbers would be those of plain frames.
     */
    void requireDeflate(JsonLine out) throws Exception {
        out.put("deflate", connector.deflate());
        String refusal = onLoop(connector::deflateRefusal);
        if (!refusal.isEmpty()) {
            throw new IllegalStateException("--deflate: the server did not accept permessage-deflate"
                    + " (its handshake answered Sec-WebSocket-Extensions: " + refusal + ")");
        }
    }

    /** Puts how the connection ramp went. */
    static void putRamp(JsonLine out, Ramp ramp) {
        out.put("connected", ramp.succeededCount())
                .put("connect_failed", ramp.failedCount())
                .put("connect_unfinished", ramp.unfinishedCount())
                .put("connect_s", ramp.seconds(), 3)
                .put("connects_per_s", ramp.rate(), 1);
        if (!ramp.firstError().isEmpty()) {
            out.put("first_error", ramp.firstError());
        }
    }
}
