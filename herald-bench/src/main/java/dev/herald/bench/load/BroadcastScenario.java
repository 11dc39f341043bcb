package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code --clients} receivers emit {@code join} (with an ack, so we know the server put them in
 * room {@code all}); one more client, the trigger, emits {@code ["bcast",<round>]} and the server
 * emits {@code ["tick",<round>]} to the room; with {@code --payload BYTES} both carry a
 * {@link Payload} of that size after the round. Measures, per round, the time from the trigger to
 * the first and to the last delivery (rounds run one after the other), and the server's CPU and
 * the bytes on the wire per delivery over the measured rounds.
 */
final class BroadcastScenario extends Scenario implements SioClient.Listener {
    private static final String TICK = "42[\"tick\",";

    /** The payloads sent in turn, by round; empty without {@code --payload}. Set before any client opens. */
    private String[] arguments = {};

    // All fields below are owned by the generator's event loop.
    private final CompletableFuture<Void> allJoined = new CompletableFuture<>();
    private int receivers;
    private int joined;
    private SioClient trigger;
    private TickRounds rounds;
    /** The generator's and the server's CPU meters, started after the warm-up rounds. */
    private final CpuMeter[] cpu = new CpuMeter[2];
    /** Bytes on the wire when the measured rounds start and when they are over. */
    private final WireBytes.Count[] wire = new WireBytes.Count[2];
    /** Ticks whose length is not that of what the trigger sent: the server dropped or changed arguments. */
    private long badTicks;

    BroadcastScenario(Connector connector, Options options, ServerProbe server) {
        super(connector, options, server);
    }

    @Override
    void run(JsonLine out) throws Exception {
        receivers = options.integer("clients", 1000);
        rounds = new TickRounds(connector.loop(), receivers, options, new TickRounds.Hooks() {
            @Override
            public void trigger(int round) {
                trigger.send(Frames.ascii(trigger.channel().alloc(), "42[\"bcast\"," + round + suffix(round)));
            }

            @Override
            public void measuring() {
                wire[0] = connector.wire().count();
                cpu[0] = CpuMeter.self().start();
                cpu[1] = server.cpu();
            }
        });
        Duration timeout = options.seconds("timeout", 120);
        out.put("clients", receivers).put("rounds", rounds.rounds());
        if (options.has("payload")) {
            arguments = Payload.variants(options.integer("payload", 0));
            out.put("payload_bytes", arguments[0].length());
        }

        Fleet fleet = new Fleet(connector, receivers + 1, this);
        Ramp ramp =
                fleet.connect(options.integer("window", 200), timeout).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
        putRamp(out, ramp);
        requireDeflate(out);
        if (ramp.succeededCount() < receivers + 1) {
            fleet.closeAll(Duration.ofSeconds(30)).get();
            out.put("ok", false);
            return;
        }
        allJoined.get(timeout.toSeconds(), TimeUnit.SECONDS);

        rounds.start();
        rounds.done().get(rounds.bound(), TimeUnit.MILLISECONDS);
        double generatorCpu = cpu[0].fraction();
        double serverCpu = cpu[1].fraction();
        double serverCpuSeconds = cpu[1].seconds();
        onLoop(() -> wire[1] = connector.wire().count());
        int dropped = onLoop(fleet::droppedCount);
        fleet.closeAll(Duration.ofSeconds(30)).get();

        Histogram f = rounds.first();
        Histogram l = rounds.last();
        out.put("first_p50_ms", f.getValueAtPercentile(50) / 1e6, 3)
                .put("first_p99_ms", f.getValueAtPercentile(99) / 1e6, 3)
                .put("last_p50_ms", l.getValueAtPercentile(50) / 1e6, 3)
                .put("last_p99_ms", l.getValueAtPercentile(99) / 1e6, 3)
                .put("deliveries_per_s", rounds.deliveriesPerSecond(), 1)
                .put("incomplete_rounds", rounds.incompleteRounds())
                .put("missing", rounds.missing())
                .put("late", rounds.late())
                .put("bad_ticks", onLoop(() -> badTicks))
                .put("dropped", dropped);
        putCpu(out, generatorCpu, serverCpu);
        putPerMessage(out, "delivery", serverCpuSeconds, wire[1].since(wire[0]), rounds.measuredDeliveries());
        out.put(
                "ok",
                ramp.succeededCount() == receivers + 1
                        && rounds.incompleteRounds() == 0
                        && dropped == 0
                        && onLoop(() -> badTicks) == 0);
    }

    @Override
    public void connected(SioClient client) {
        if (client.index == receivers) {
            trigger = client;
        } else {
            client.send(Frames.ascii(client.channel().alloc(), "421[\"join\"]"));
        }
        if (joined == receivers && trigger != null) {
            allJoined.complete(null);
        }
    }

    @Override
    public void ack(SioClient client, ByteBuf frame) {
        if (Frames.ackId(frame) == 1 && ++joined == receivers && trigger != null) {
            allJoined.complete(null);
        }
    }

    @Override
    public void event(SioClient client, ByteBuf frame) {
        if (Frames.startsWith(frame, TICK)) {
            long round = Frames.number(frame, TICK.length());
            if (round < 0 || frame.readableBytes() != TICK.length() + Frames.digits(round) + suffixLength(round)) {
                badTicks++;
            }
        }
        rounds.onEvent(client, frame);
    }

    /** What follows the round number in {@code bcast} and {@code tick}: {@code ]}, or {@code ,<payload>]}. */
    private String suffix(long round) {
        return arguments.length == 0 ? "]" : "," + arguments[(int) (round % arguments.length)] + "]";
    }

    private int suffixLength(long round) {
        return arguments.length == 0 ? 1 : arguments[(int) (round % arguments.length)].length() + 2;
    }

    @Override
    public void closed(SioClient client, Throwable cause) {}
}
