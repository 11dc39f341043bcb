package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Delivery under dropped transports, for servers with connection state recovery on.
 * {@code --clients} receivers join room {@code all}; one more client, the trigger, emits
 * {@code ["bcast",n]} every {@code --tick} seconds (n = 1, 2, 3, …) for {@code --duration}
 * seconds, and the server emits {@code ["tick",n,"<offset>"]} to the room. Meanwhile each
 * receiver's TCP connection is closed every {@code --drop-min}..{@code --drop-max} seconds
 * (uniformly at random, from its connect) and opened again after 0..{@code --reconnect-max}
 * seconds, as socket.io-client's reconnection would.
 *
 * <p>Each receiver speaks the client side of recovery itself: it keeps the pid of its CONNECT
 * reply and the last string argument of each event as its offset, reconnects with
 * {@code 40{"pid":...,"offset":...}}, and counts the reconnect recovered when the reply carries
 * the same pid; otherwise it is a new session and joins the room again. Every receiver checks by
 * number what it got ({@link SeqLedger}): lost, duplicated, out of order. Replay latency: from the
 * recovering CONNECT sent to having every number the trigger had emitted when its reply arrived.
 *
 * <p>Afterwards, with the receivers settled, {@code --parked} more clients connect, join and drop
 * their TCP connection without coming back; the server's heap (JVM, {@code jcmd}) and RSS after a
 * full collection, before and after, over their count, is what a recoverable disconnected session
 * costs it.
 */
final class JitterScenario extends Scenario implements SioClient.Listener {
    private static final String TICK = "42[\"tick\",";

    /** One receiver across its connections. Owned by the event loop. */
    private static final class Receiver {
        final SeqLedger ledger = new SeqLedger();
        SioClient current;
        Optional<String> pid = Optional.empty();
        Optional<String> offset = Optional.empty();
        /** The pid this connection's CONNECT carried, if any. */
        Optional<String> sentPid = Optional.empty();

        boolean joined;
        ScheduledFuture<?> dropTimer;
        /** The connection this scenario closed last: its close is not the server's doing. */
        SioClient dropped;
        /**
         * Replay of a recovering connection: the last number the trigger had emitted when the CONNECT
         * went (0: nothing was missed, or not recovering), when it went, and when that number arrived
         * (0: not yet). Node sends the missed events before its CONNECT reply, Herald after it.
         */
        int replayTarget;

        long replayFrom;
        long replayDone;
        /** The CONNECT reply said recovered, and the replay time is not recorded yet. */
        boolean replayCounts;

        int connects;
        /** When its last connection closed (System.nanoTime). */
        long closedAt;

        int reconnects;
        int recovered;
    }

    // All fields below are owned by the generator's event loop.
    private final SplittableRandom random;
    private Receiver[] receivers;
    private SioClient trigger;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private int joinedFirst;
    private boolean dropping;
    private boolean stopped;
    private int emitted;
    private ScheduledFuture<?> ticker;
    private final Histogram replay = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private long reconnects;
    private long recovered;
    private long connectFailures;
    private long serverCloses;
    private long dropsDone;
    /**
     * Close to CONNECT, in ms, and the pid offered, of the first reconnects that offered a session
     * and got a new one.
     */
    private final List<String> unrecoveredGaps = new ArrayList<>();

    private Throwable firstError;
    private Duration dropMin;
    private Duration dropMax;
    private Duration reconnectMax;

    JitterScenario(Connector connector, Options options, ServerProbe server) {
        super(connector, options, server);
        this.random = new SplittableRandom(options.integer("seed", 11));
    }

    @Override
    void run(JsonLine out) throws Exception {
        int n = options.integer("clients", 200);
        Duration duration = options.seconds("duration", 10);
        Duration tick = options.seconds("tick", 0.02);
        dropMin = options.seconds("drop-min", 1.5);
        dropMax = options.seconds("drop-max", 4);
        reconnectMax = options.seconds("reconnect-max", 0.5);
        Duration settle = options.seconds("settle", 15);
        int parked = options.integer("parked", 1000);
        Duration timeout = options.seconds("timeout", 120);
        out.put("clients", n)
                .put("duration_s", duration.toMillis() / 1000.0, 1)
                .put("tick_ms", tick.toNanos() / 1e6, 1)
                .put("drop_s", dropMin.toMillis() / 1000.0 + "-" + dropMax.toMillis() / 1000.0)
                .put("reconnect_max_s", reconnectMax.toMillis() / 1000.0, 2);

        onLoop(() -> {
            receivers = new Receiver[n];
            for (int i = 0; i < n; i++) {
                receivers[i] = new Receiver();
                open(i);
            }
            trigger = connector.open(n, "", this);
            return null;
        });
        ready.get(timeout.toSeconds(), TimeUnit.SECONDS);

        CpuMeter generatorCpu = CpuMeter.self().start();
        CpuMeter serverCpu = server.cpu();
        onLoop(() -> {
            dropping = true;
            for (Receiver r : receivers) {
                scheduleDrop(r);
            }
            ticker = connector
                    .loop()
                    .scheduleAtFixedRate(
                            () -> {
                                emitted++;
                                trigger.send(Frames.ascii(trigger.channel().alloc(), "42[\"bcast\"," + emitted + "]"));
                            },
                            0,
                            tick.toNanos(),
                            TimeUnit.NANOSECONDS);
            return null;
        });
        sleep(duration);
        int last = onLoop(() -> {
            ticker.cancel(false);
            dropping = false;
            for (Receiver r : receivers) {
                if (r.dropTimer != null) {
                    r.dropTimer.cancel(false);
                }
            }
            return emitted;
        });
        double genCpu = generatorCpu.fraction();
        double srvCpu = serverCpu.fraction();

        // Reconnects still under way finish, and what is still in flight arrives.
        long settleEnd = System.nanoTime() + settle.toNanos();
        boolean settled = false;
        while (!settled && System.nanoTime() < settleEnd) {
            sleep(Duration.ofMillis(100));
            settled = onLoop(() -> {
                for (Receiver r : receivers) {
                    if (!r.joined || !r.ledger.has(last)) {
                        return false;
                    }
                }
                return true;
            });
        }
        sleep(Duration.ofMillis(500)); // late duplicates still count
        onLoop(() -> counts(out, last));
        out.put("settled", settled);

        // Heap per recoverable disconnected session: sessions parked on the server, not coming back.
        if (parked > 0 && server.known()) {
            server.collect();
            long heapBefore = server.heapUsedKb();
            long rssBefore = server.rssKb();
            int gone = new Parking(parked, n + 1).run(timeout);
            sleep(Duration.ofSeconds(1)); // the server notices the closes
            server.collect();
            long heapAfter = server.heapUsedKb();
            long rssAfter = server.rssKb();
            out.put("parked", gone);
            if (gone > 0 && heapBefore > 0 && heapAfter > 0) {
                out.put("heap_before_kb", heapBefore)
                        .put("heap_after_kb", heapAfter)
                        .put("heap_bytes_per_session", (heapAfter - heapBefore) * 1024.0 / gone, 0);
            }
            if (gone > 0 && rssBefore > 0 && rssAfter > 0) {
                out.put("rss_bytes_per_session", (rssAfter - rssBefore) * 1024.0 / gone, 0);
            }
        }

        onLoop(() -> {
            stopped = true;
            for (Receiver r : receivers) {
                Connector.closeQuietly(r.current == null ? null : r.current.channel());
            }
            Connector.closeQuietly(trigger.channel());
            return null;
        });
        putCpu(out, genCpu, srvCpu);
        if (firstError != null) {
            out.put("first_error", firstError.toString());
        }
        out.put("ok", last > 0);
    }

    private JsonLine counts(JsonLine c, int last) {
        long delivered = 0;
        long duplicates = 0;
        long reordered = 0;
        long lost = 0;
        int incomplete = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < receivers.length; i++) {
            SeqLedger l = receivers[i].ledger;
            delivered += l.distinct();
            duplicates += l.duplicates();
            reordered += l.reordered();
            long missing = l.missingThrough(last);
            lost += missing;
            if (missing > 0) {
                incomplete++;
                if (examples.size() < 5) {
                    examples.add("#" + i + ": " + l.missingRanges(last, 4) + " (" + receivers[i].recovered + "/"
                            + receivers[i].reconnects + " recovered)");
                }
            }
        }
        long expected = (long) last * receivers.length;
        c.put("emitted", last)
                .put("expected", expected)
                .put("delivered", delivered)
                .put("delivered_pct", expected == 0 ? 0 : 100.0 * delivered / expected, 3)
                .put("lost", lost)
                .put("duplicates", duplicates)
                .put("reordered", reordered)
                .put("clients_incomplete", incomplete)
                .put("drops", dropsDone)
                .put("reconnects", reconnects)
                .put("recovered", recovered)
                .put("recovered_pct", reconnects == 0 ? 0 : 100.0 * recovered / reconnects, 2)
                .put("unrecovered", reconnects - recovered)
                .put("connect_failures", connectFailures)
                .put("server_closes", serverCloses)
                .put("replay_samples", replay.getTotalCount())
                .put("replay_p50_ms", TickRounds.ms(replay, 50), 2)
                .put("replay_p99_ms", TickRounds.ms(replay, 99), 2)
                .put("replay_max_ms", replay.getTotalCount() == 0 ? -1 : replay.getMaxValue() / 1e6, 2);
        if (!examples.isEmpty()) {
            c.put("loss_examples", String.join("; ", examples));
        }
        if (!unrecoveredGaps.isEmpty()) {
            c.put("unrecovered_close_to_connect_ms", String.join("; ", unrecoveredGaps));
        }
        return c;
    }

    /** Opens receiver {@code i}'s next connection, offering its session if it has one. */
    private void open(int i) {
        Receiver r = receivers[i];
        r.joined = false;
        r.sentPid = r.pid;
        String frame = r.pid.map(pid -> "40{\"pid\":\"" + pid + "\""
                        + r.offset.map(o -> ",\"offset\":\"" + o + "\"").orElse("") + "}")
                .orElse("40");
        r.current = connector.open(i, "", frame, this);
    }

    private void scheduleDrop(Receiver r) {
        if (!dropping || r.current == null || !r.current.isConnected()) {
            return;
        }
        long delay = random.nextLong(dropMin.toNanos(), dropMax.toNanos() + 1);
        SioClient c = r.current;
        r.dropTimer = connector
                .loop()
                .schedule(
                        () -> {
                            if (dropping && r.current == c) {
                                dropsDone++;
                                r.dropped = c;
                                c.close();
                            }
                        },
                        delay,
                        TimeUnit.NANOSECONDS);
    }

    @Override
    public void connectReply(SioClient client, ByteBuf frame) {
        if (client == trigger) {
            return;
        }
        Receiver r = receivers[client.index];
        if (client != r.current) {
            return;
        }
        Optional<String> pid = Frames.stringField(frame, "pid");
        if (r.connects++ > 0) {
            reconnects++;
            r.reconnects++;
        }
        if (r.sentPid.isPresent()) {
            if (pid.isPresent() && pid.equals(r.sentPid)) {
                recovered++;
                r.recovered++;
                r.joined = true; // the server restored its rooms
                if (r.replayTarget > 0) {
                    r.replayCounts = true;
                    recordReplay(r);
                }
            } else {
                r.replayTarget = 0;
                if (unrecoveredGaps.size() < 20) {
                    unrecoveredGaps.add(String.format(
                            Locale.ROOT, "%.1f (%s)", (client.connectSentNanos() - r.closedAt) / 1e6, r.sentPid.get()));
                }
            }
        }
        r.pid = pid;
    }

    @Override
    public void connectSent(SioClient client) {
        if (client == trigger) {
            return;
        }
        Receiver r = receivers[client.index];
        r.replayCounts = false;
        r.replayDone = 0;
        r.replayTarget = r.sentPid.isPresent() && emitted > r.ledger.max() ? emitted : 0;
        r.replayFrom = client.connectSentNanos();
    }

    private void recordReplay(Receiver r) {
        if (r.replayCounts && r.replayDone != 0) {
            replay.recordValue(Math.min(r.replayDone - r.replayFrom, replay.getHighestTrackableValue()));
            r.replayCounts = false;
            r.replayTarget = 0;
        }
    }

    @Override
    public void connected(SioClient client) {
        if (client == trigger) {
            maybeReady();
            return;
        }
        Receiver r = receivers[client.index];
        if (client != r.current) {
            return;
        }
        if (!r.joined) {
            client.send(Frames.ascii(client.channel().alloc(), "421[\"join\"]"));
        }
        scheduleDrop(r);
    }

    @Override
    public void ack(SioClient client, ByteBuf frame) {
        if (client == trigger || Frames.ackId(frame) != 1) {
            return;
        }
        Receiver r = receivers[client.index];
        if (client == r.current && !r.joined) {
            r.joined = true;
            if (!ready.isDone()) {
                joinedFirst++;
                maybeReady();
            }
        }
    }

    private void maybeReady() {
        if (joinedFirst == receivers.length && trigger != null && trigger.isConnected()) {
            ready.complete(null);
        }
    }

    @Override
    public void event(SioClient client, ByteBuf frame) {
        if (client == trigger || !Frames.startsWith(frame, TICK)) {
            return;
        }
        Receiver r = receivers[client.index];
        if (client != r.current) {
            return;
        }
        long n = Frames.number(frame, TICK.length());
        if (n < 1) {
            return;
        }
        r.ledger.record((int) n);
        Optional<String> offset = Frames.lastStringArgument(frame);
        if (offset.isPresent()) {
            r.offset = offset;
        }
        if (r.replayTarget > 0 && r.replayDone == 0 && r.ledger.has(r.replayTarget)) {
            r.replayDone = System.nanoTime();
            recordReplay(r);
        }
    }

    @Override
    public void closed(SioClient client, Throwable cause) {
        if (client == trigger || stopped) {
            return;
        }
        Receiver r = receivers[client.index];
        if (client != r.current) {
            return;
        }
        if (r.dropTimer != null) {
            r.dropTimer.cancel(false);
            r.dropTimer = null;
        }
        if (!client.isConnected()) {
            connectFailures++;
            if (firstError == null && cause != null) {
                firstError = cause;
            }
        } else if (r.dropped != client) {
            serverCloses++;
        }
        r.replayTarget = 0;
        r.replayCounts = false;
        r.current = null;
        r.closedAt = System.nanoTime();
        long delay = random.nextLong(reconnectMax.toNanos() + 1);
        connector
                .loop()
                .schedule(
                        () -> {
                            if (!stopped) {
                                open(client.index);
                            }
                        },
                        delay,
                        TimeUnit.NANOSECONDS);
    }

    /**
     * {@code count} more clients connect, join room {@code all} and then drop their TCP connection
     * and stay away, leaving that many recoverable sessions on the server.
     */
    private final class Parking implements SioClient.Listener {
        private final int count;
        private final int firstIndex;
        private final List<SioClient> clients = new ArrayList<>();
        private final CompletableFuture<Integer> done = new CompletableFuture<>();
        private int joined;
        private int failed;
        private int closed;

        Parking(int count, int firstIndex) {
            this.count = count;
            this.firstIndex = firstIndex;
        }

        /** Returns how many joined and then dropped. */
        int run(Duration timeout) throws Exception {
            onLoop(() -> {
                for (int i = 0; i < count; i++) {
                    clients.add(connector.open(firstIndex + i, "", this));
                }
                return null;
            });
            return done.get(timeout.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public void connected(SioClient client) {
            client.send(Frames.ascii(client.channel().alloc(), "421[\"join\"]"));
        }

        @Override
        public void ack(SioClient client, ByteBuf frame) {
            if (Frames.ackId(frame) == 1 && ++joined + failed == count) {
                clients.forEach(SioClient::close);
            }
        }

        @Override
        public void closed(SioClient client, Throwable cause) {
            if (!client.isConnected()) {
                failed++;
                if (joined + failed == count) {
                    clients.forEach(SioClient::close);
                }
            }
            if (++closed == count) {
                done.complete(joined);
            }
        }
    }
}
