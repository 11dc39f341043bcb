package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code --clients} receivers emit {@code join} (with an ack, so we know the server put them in
 * room {@code all}); one more client, the trigger, emits {@code ["bcast",<round>]} and the server
 * emits {@code ["tick",<round>]} to the room. Measures, per round, the time from the trigger to
 * the first and to the last delivery; rounds run one after the other.
 */
final class BroadcastScenario extends Scenario implements SioClient.Listener {
    // All fields below are owned by the generator's event loop.
    private final CompletableFuture<Void> allJoined = new CompletableFuture<>();
    private int receivers;
    private int joined;
    private SioClient trigger;
    private TickRounds rounds;
    /** The generator's and the server's CPU meters, started after the warm-up rounds. */
    private final CpuMeter[] cpu = new CpuMeter[2];

    BroadcastScenario(Connector connector, Options options, ServerProbe server) {
        super(connector, options, server);
    }

    @Override
    void run(JsonLine out) throws Exception {
        receivers = options.integer("clients", 1000);
        rounds = new TickRounds(connector.loop(), receivers, options, new TickRounds.Hooks() {
            @Override
            public void trigger(int round) {
                trigger.send(Frames.ascii(trigger.channel().alloc(), "42[\"bcast\"," + round + "]"));
            }

            @Override
            public void measuring() {
                cpu[0] = CpuMeter.self().start();
                cpu[1] = server.cpu();
            }
        });
        Duration timeout = options.seconds("timeout", 120);
        out.put("clients", receivers).put("rounds", rounds.rounds());

        Fleet fleet = new Fleet(connector, receivers + 1, this);
        Ramp ramp =
                fleet.connect(options.integer("window", 200), timeout).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
        putRamp(out, ramp);
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
                .put("dropped", dropped);
        putCpu(out, generatorCpu, serverCpu);
        out.put("ok", ramp.succeededCount() == receivers + 1 && rounds.incompleteRounds() == 0 && dropped == 0);
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
        rounds.onEvent(client, frame);
    }

    @Override
    public void closed(SioClient client, Throwable cause) {}
}
