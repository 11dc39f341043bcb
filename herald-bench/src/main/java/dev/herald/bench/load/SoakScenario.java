package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The soak: {@code --cycles} short lives (default 200 000), {@code --window} at a time, each a
 * full connect, namespace connect, one emit and disconnect. Three in four go straight over
 * WebSocket and emit {@code echo} with an ack ({@code 421["echo",i]} answered by {@code 431[i]})
 * before closing; every {@code --polling-every}th (default 4) connects as a browser does, over
 * polling with {@code 40} and the upgrade to WebSocket, then closes. The clients come from many
 * loopback source addresses ({@code --per-source}, default 5000 each), so TIME_WAIT never runs
 * out of ports.
 *
 * <p>With {@code --server-pid} (a JVM server, {@code --server-gc jcmd}) it reports the server's
 * heap in use after a full GC, its RSS and its live threads before and after: a leak per cycle
 * shows as growth there. Bounded by {@code --timeout} (default 1800 s).
 */
final class SoakScenario extends Scenario {

    SoakScenario(Connector connector, Options options, ServerProbe server) {
        super(connector, options, server);
    }

    @Override
    void run(JsonLine out) throws Exception {
        int cycles = options.integer("cycles", 200_000);
        int pollingEvery = Math.max(1, options.integer("polling-every", 4));
        Duration timeout = options.seconds("timeout", 1800);
        out.put("cycles", cycles).put("polling_every", pollingEvery);

        // A short warm-up so the "start" readings include the code and pools every cycle uses.
        soak(Math.min(2000, cycles), 0, pollingEvery, Duration.ofSeconds(120));
        Reading start = read();
        CpuMeter serverCpu = server.cpu();
        Ramp ramp = soak(cycles, 2000, pollingEvery, timeout);
        double serverCpuUsed = serverCpu.fraction();
        // Let the server see the last closes before reading it.
        sleep(Duration.ofSeconds(2));
        Reading end = read();

        putRamp(out, ramp);
        out.put("server_cpu", serverCpuUsed, 3)
                .put("heap_after_gc_kb_start", start.heapKb)
                .put("heap_after_gc_kb_end", end.heapKb)
                .put("rss_kb_start", start.rssKb)
                .put("rss_kb_end", end.rssKb)
                .put("threads_start", start.threads)
                .put("threads_end", end.threads)
                .put("ok", ramp.succeededCount() == cycles);
    }

    /** One ramp of {@code n} cycles; client indexes (and so source addresses) start at {@code first}. */
    private Ramp soak(int n, int first, int pollingEvery, Duration timeout) throws Exception {
        Ramp[] holder = new Ramp[1];
        IntConsumer opener = i -> {
            int index = first + i;
            if (index % pollingEvery == 0) {
                new PollingUpgrade(connector, index, holder[0]).start();
            } else {
                webSocketCycle(index, holder[0]);
            }
        };
        holder[0] = new Ramp(connector.loop(), n, options.integer("window", 100), opener);
        return holder[0].start(timeout).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
    }

    /** Connect, namespace connect, emit with ack, close; a success once the ack came back. */
    private void webSocketCycle(int index, Ramp ramp) {
        connector.open(index, "", new SioClient.Listener() {
            private boolean acked;

            @Override
            public void connected(SioClient client) {
                client.send(Frames.ascii(client.channel().alloc(), "421[\"echo\"," + index + "]"));
            }

            @Override
            public void ack(SioClient client, ByteBuf frame) {
                if (!acked) {
                    acked = true;
                    ramp.succeeded();
                    client.close();
                }
            }

            @Override
            public void closed(SioClient client, Throwable cause) {
                if (!acked) {
                    acked = true;
                    ramp.failed(cause != null ? cause : new IllegalStateException("closed before the ack"));
                }
            }
        });
    }

    /** The server's heap after a full GC, RSS and threads; -1 where unknown. */
    private Reading read() {
        server.collect();
        return new Reading(server.heapUsedKb(), server.rssKb(), server.threads());
    }

    private record Reading(long heapKb, long rssKb, long threads) {}
}
