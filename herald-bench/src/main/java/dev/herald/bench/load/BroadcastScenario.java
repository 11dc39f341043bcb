package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
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
  private static final String TICK = "42[\"tick\",";

  // All fields below are owned by the generator's event loop.
  private final Histogram first = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final Histogram last = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final CompletableFuture<Void> allJoined = new CompletableFuture<>();
  private final CompletableFuture<Void> roundsDone = new CompletableFuture<>();
  private int receivers;
  private int joined;
  private SioClient trigger;
  private int rounds;
  private int warmupRounds;
  private Duration gap;
  private Duration roundTimeout;
  private int round;
  private long roundStart;
  private long firstAt;
  private long lastAt;
  private int delivered;
  private long measuredDeliveries;
  private long measuredNanos;
  private int incompleteRounds;
  private long missing;
  private long late;
  private ScheduledFuture<?> roundTimer;
  /** The generator's and the server's CPU meters, started after the warm-up rounds. */
  private final CpuMeter[] cpu = new CpuMeter[2];

  BroadcastScenario(Connector connector, Options options, ServerProbe server) {
    super(connector, options, server);
  }

  @Override
  void run(JsonLine out) throws Exception {
    receivers = options.integer("clients", 1000);
    rounds = options.integer("rounds", 30);
    warmupRounds = options.integer("warmup-rounds", 10);
    gap = options.seconds("gap", 0.05);
    roundTimeout = options.seconds("round-timeout", 10);
    Duration timeout = options.seconds("timeout", 120);
    out.put("clients", receivers).put("rounds", rounds);

    Fleet fleet = new Fleet(connector, receivers + 1, this);
    Ramp ramp = fleet.connect(options.integer("window", 200), timeout)
        .get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
    putRamp(out, ramp);
    if (ramp.succeededCount() < receivers + 1) {
      fleet.closeAll(Duration.ofSeconds(30)).get();
      out.put("ok", false);
      return;
    }
    allJoined.get(timeout.toSeconds(), TimeUnit.SECONDS);

    connector.loop().execute(this::startRound);
    long bound = (rounds + warmupRounds) * (roundTimeout.toMillis() + gap.toMillis()) + 30_000;
    roundsDone.get(bound, TimeUnit.MILLISECONDS);
    double generatorCpu = cpu[0].fraction();
    double serverCpu = cpu[1].fraction();
    int dropped = onLoop(fleet::droppedCount);
    fleet.closeAll(Duration.ofSeconds(30)).get();

    Histogram f = onLoop(first::copy);
    Histogram l = onLoop(last::copy);
    out.put("first_p50_ms", f.getValueAtPercentile(50) / 1e6, 3)
        .put("first_p99_ms", f.getValueAtPercentile(99) / 1e6, 3)
        .put("last_p50_ms", l.getValueAtPercentile(50) / 1e6, 3)
        .put("last_p99_ms", l.getValueAtPercentile(99) / 1e6, 3)
        .put("deliveries_per_s",
            measuredNanos > 0 ? measuredDeliveries / (measuredNanos / 1e9) : 0, 1)
        .put("incomplete_rounds", incompleteRounds)
        .put("missing", missing)
        .put("late", late)
        .put("dropped", dropped);
    putCpu(out, generatorCpu, serverCpu);
    out.put("ok", ramp.succeededCount() == receivers + 1 && incompleteRounds == 0 && dropped == 0);
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
    if (!Frames.startsWith(frame, TICK)) {
      return;
    }
    long now = System.nanoTime();
    if (Frames.number(frame, TICK.length()) != round || roundTimer == null) {
      late++;
      return;
    }
    if (delivered++ == 0) {
      firstAt = now;
    }
    lastAt = now;
    if (delivered == receivers) {
      endRound(true);
    }
  }

  private void startRound() {
    if (round == warmupRounds) {
      cpu[0] = CpuMeter.self().start();
      cpu[1] = server.cpu();
    }
    round++;
    delivered = 0;
    roundStart = System.nanoTime();
    roundTimer = connector.loop().schedule(() -> endRound(false),
        roundTimeout.toNanos(), TimeUnit.NANOSECONDS);
    trigger.send(Frames.ascii(trigger.channel().alloc(), "42[\"bcast\"," + round + "]"));
  }

  private void endRound(boolean complete) {
    roundTimer.cancel(false);
    roundTimer = null;
    if (round > warmupRounds) {
      if (complete) {
        first.recordValue(firstAt - roundStart);
        last.recordValue(lastAt - roundStart);
        measuredDeliveries += delivered;
        measuredNanos += lastAt - roundStart;
      } else {
        incompleteRounds++;
        missing += receivers - delivered;
      }
    }
    if (round >= warmupRounds + rounds) {
      roundsDone.complete(null);
    } else {
      connector.loop().schedule(this::startRound, gap.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void closed(SioClient client, Throwable cause) {}
}
