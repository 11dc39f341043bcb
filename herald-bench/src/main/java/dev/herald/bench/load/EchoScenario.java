package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code --clients} clients each keep {@code --pipeline} echo requests in flight: every
 * {@code 42<id>["echo",<argument>]} is answered by the server with {@code 43<id>[<argument>]},
 * and each ack sends the next request. The argument is a 32-character string, or with
 * {@code --payload BYTES} a {@link Payload} of that size. {@code --transport polling} connects
 * each client over polling and upgrades it, as a browser does, before the echo runs on the
 * upgraded WebSocket. After a warm-up, counts acks per second, the latency from send to ack, and
 * the server's CPU and the bytes on the wire per ack.
 */
final class EchoScenario extends Scenario implements SioClient.Listener {
    /** 32 bytes, as the brief of the benchmark says; as JSON, with its quotes. */
    static final String PAYLOAD = "\"0123456789abcdefghijklmnopqrstuv\"";

    /** The arguments sent in turn, chosen by request id; set in {@link #run} before any client opens. */
    private String[] arguments = {PAYLOAD};

    // All fields below are owned by the generator's event loop.
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private long[][] sentAt;
    private long[] nextId;
    private boolean[] checked;
    private int mask;
    private int pipeline;
    private boolean measuring;
    private boolean stopping;
    private long acks;
    private long badAcks;
    private long outstanding;

    EchoScenario(Connector connector, Options options, ServerProbe server) {
        super(connector, options, server);
    }

    @Override
    void run(JsonLine out) throws Exception {
        int n = options.integer("clients", 100);
        pipeline = options.integer("pipeline", 1);
        Duration warmup = options.seconds("warmup", 2);
        Duration duration = options.seconds("duration", 5);
        String transport = options.string("transport", "websocket");
        out.put("clients", n)
                .put("pipeline", pipeline)
                .put("transport", transport)
                .put("duration_s", duration.toMillis() / 1e3, 3);
        if (pipeline < 1 || pipeline > 1024) {
            throw new IllegalArgumentException("--pipeline must be 1..1024");
        }
        if (options.has("payload")) {
            arguments = Payload.variants(options.integer("payload", 0));
            out.put("payload_bytes", arguments[0].length());
        }
        int ring = Integer.highestOneBit(pipeline * 4 - 1) << 1;
        mask = ring - 1;
        sentAt = new long[n][ring];
        nextId = new long[n];
        checked = new boolean[n];

        Fleet fleet = new Fleet(connector, n, this);
        Ramp ramp = fleet.connect(options.integer("window", 200), options.seconds("timeout", 60), transport)
                .get(options.seconds("timeout", 60).toSeconds() + 30, TimeUnit.SECONDS);
        putRamp(out, ramp);
        requireDeflate(out);

        onLoop(() -> {
            for (int i = 0; i < n; i++) {
                SioClient c = fleet.client(i);
                if (c != null && c.isConnected()) {
                    for (int k = 0; k < pipeline; k++) {
                        sendOne(c);
                    }
                }
            }
            return null;
        });
        sleep(warmup);
        WireBytes.Count[] wire = new WireBytes.Count[2];
        CpuMeter[] cpu = onLoop(() -> {
            latency.reset();
            acks = 0;
            measuring = true;
            wire[0] = connector.wire().count();
            return new CpuMeter[] {CpuMeter.self().start(), server.cpu()};
        });
        long start = System.nanoTime();
        sleep(duration);
        long measured = onLoop(() -> {
            measuring = false;
            stopping = true;
            wire[1] = connector.wire().count();
            return acks;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        double generatorCpu = cpu[0].fraction();
        double serverCpu = cpu[1].fraction();
        double serverCpuSeconds = cpu[1].seconds();
        Histogram h = onLoop(latency::copy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (onLoop(() -> outstanding) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int dropped = onLoop(fleet::droppedCount);
        fleet.closeAll(Duration.ofSeconds(10)).get();

        out.put("acks", measured)
                .put("acks_per_s", measured / seconds, 1)
                .put("p50_us", h.getValueAtPercentile(50) / 1e3, 1)
                .put("p99_us", h.getValueAtPercentile(99) / 1e3, 1)
                .put("p999_us", h.getValueAtPercentile(99.9) / 1e3, 1)
                .put("max_us", h.getMaxValue() / 1e3, 1)
                .put("bad_acks", onLoop(() -> badAcks))
                .put("dropped", dropped);
        putCpu(out, generatorCpu, serverCpu);
        putPerMessage(out, "ack", serverCpuSeconds, wire[1].since(wire[0]), measured);
        out.put("ok", ramp.succeededCount() == n && dropped == 0 && badAcks == 0 && measured > 0);
    }

    private void sendOne(SioClient c) {
        long id = ++nextId[c.index];
        sentAt[c.index][(int) (id & mask)] = System.nanoTime();
        outstanding++;
        c.send(Frames.echo(c.channel().alloc(), id, argument(id)));
    }

    @Override
    public void connected(SioClient client) {}

    @Override
    public void ack(SioClient c, ByteBuf frame) {
        long now = System.nanoTime();
        long id = Frames.ackId(frame);
        if (id < 0 || id > nextId[c.index] || !valid(c, id, frame)) {
            badAcks++;
            return;
        }
        outstanding--;
        if (measuring) {
            latency.recordValue(Math.min(now - sentAt[c.index][(int) (id & mask)], latency.getHighestTrackableValue()));
            acks++;
        }
        if (!stopping) {
            sendOne(c);
        }
    }

    private String argument(long id) {
        return arguments[(int) (id % arguments.length)];
    }

    /** Checks the length of every ack, and the whole text of each client's first. */
    private boolean valid(SioClient c, long id, ByteBuf frame) {
        String argument = argument(id);
        if (frame.readableBytes() != 2 + Frames.digits(id) + 1 + argument.length() + 1) {
            return false;
        }
        if (!checked[c.index]) {
            checked[c.index] = true;
            return frame.toString(StandardCharsets.UTF_8).equals(Frames.echoAck(id, argument));
        }
        return true;
    }

    @Override
    public void closed(SioClient client, Throwable cause) {}
}
