package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The broadcast scenario across a cluster: {@code --clients} receivers are spread round robin over
 * the nodes of {@code --ports p1,p2,...} (client {@code i} on node {@code i % n}) and join room
 * {@code all}; one more client, the trigger, on the first node, emits {@code ["bcast",<round>]}
 * and that node emits {@code ["tick",<round>]} to the room, which the cluster adapter carries to
 * every other node. Measures per round the time from the trigger to the first and to the last
 * delivery, overall and per node.
 *
 * <pre>
 * java -cp ... dev.herald.bench.load.ClusterBroadcast --ports 3001,3002,3003 --clients 3000 \
 *     [--rounds 30 --warmup-rounds 10 --gap 0.05 --round-timeout 10 --label cluster-3]
 *     [--server-pids 11,12,13 (CPU per node) --redis-pid 10 (or 10,14,15: every redis-server of a
 *     cluster, summed)] [--source-offset 0 --per-source 5000]
 * </pre>
 *
 * <p>Prints one JSON line, as {@link LoadGenerator}. All client state lives on the generator's one
 * event loop.
 */
public final class ClusterBroadcast implements SioClient.Listener {
    private final Connector[] nodes;
    private final int receivers;
    private final TickRounds rounds;
    private final CompletableFuture<Void> allJoined = new CompletableFuture<>();
    /** Completed on the loop when the first measured round starts: the CPU meters start then. */
    private final CompletableFuture<Void> measuringStarted = new CompletableFuture<>();

    private final SioClient[] clients;
    // All fields below are owned by the generator's event loop.
    private final Histogram[] lastOnNode;
    private final int[] deliveredOnNode;
    private final int[] receiversOnNode;
    private final long[] lastAtOnNode;
    private Ramp ramp;
    private int joined;
    private int dropped;
    private boolean closing;

    private ClusterBroadcast(Connector[] nodes, Options options) {
        this.nodes = nodes;
        this.receivers = options.integer("clients", 3000);
        this.rounds = new TickRounds(nodes[0].loop(), receivers, options, new Rounds());
        this.clients = new SioClient[receivers + 1];
        this.lastOnNode = new Histogram[nodes.length];
        Arrays.setAll(lastOnNode, i -> histogram());
        this.deliveredOnNode = new int[nodes.length];
        this.receiversOnNode = new int[nodes.length];
        this.lastAtOnNode = new long[nodes.length];
        for (int i = 0; i < receivers; i++) {
            receiversOnNode[node(i)]++;
        }
    }

    /** Runs one measurement and prints its JSON line; exits 1 if it could not run at all. */
    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        JsonLine out = new JsonLine()
                .put("scenario", "cluster-broadcast")
                .put("label", options.string("label", ""))
                .put("started", Instant.now().toString());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transports.ioHandler());
        try {
            int[] ports = Arrays.stream(options.string("ports", "3000").split(","))
                    .mapToInt(p -> Integer.parseInt(p.trim()))
                    .toArray();
            int perSource = options.integer("per-source", 5000);
            int offset = options.integer("source-offset", 0);
            int connectTimeout = (int) options.seconds("connect-timeout", 15).toMillis();
            Connector[] nodes = new Connector[ports.length];
            var loop = group.next();
            for (int i = 0; i < ports.length; i++) {
                nodes[i] = new Connector(
                        loop, options.string("host", "127.0.0.1"), ports[i], perSource, offset, connectTimeout);
            }
            out.put("nodes", ports.length);
            new ClusterBroadcast(nodes, options).run(out, options);
            out.put("loadavg", ServerProbe.loadAverage(), 2);
        } catch (Exception e) {
            out.put("ok", false).put("error", e.toString());
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        System.out.println(out);
        System.out.flush();
        System.exit(out.has("error") ? 1 : 0);
    }

    /** The node of receiver {@code i}; the trigger (index {@code receivers}) is on node 0. */
    private int node(int index) {
        return index == receivers ? 0 : index % nodes.length;
    }

    private void run(JsonLine out, Options options) throws Exception {
        Duration timeout = options.seconds("timeout", 120);
        out.put("clients", receivers).put("rounds", rounds.rounds());
        var loop = nodes[0].loop();
        ramp = new Ramp(
                loop,
                receivers + 1,
                options.integer("window", 200),
                i -> clients[i] = nodes[node(i)].open(i, "", this));
        Ramp done = ramp.start(timeout).get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
        Scenario.putRamp(out, done);
        if (done.succeededCount() < receivers + 1) {
            closeAll();
            out.put("ok", false);
            return;
        }
        allJoined.get(timeout.toSeconds(), TimeUnit.SECONDS);

        long[] redisPids = pids(options.string("redis-pid", "0"));
        CpuMeter[] redis = new CpuMeter[redisPids.length];
        CpuMeter[] cpu = new CpuMeter[2 + nodes.length];
        rounds.start();
        long bound = rounds.bound();
        measuringStarted.get(bound, TimeUnit.MILLISECONDS);
        long[] pids = pids(options.string("server-pids", ""));
        cpu[0] = CpuMeter.self().start();
        for (int i = 0; i < redisPids.length; i++) {
            redis[i] = CpuMeter.of(redisPids[i]).start();
        }
        for (int i = 0; i < nodes.length; i++) {
            cpu[2 + i] = CpuMeter.of(i < pids.length ? pids[i] : 0).start();
        }
        long measuredFrom = System.nanoTime();
        rounds.done().get(bound, TimeUnit.MILLISECONDS);
        double measuredSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        double generatorCpu = cpu[0].fraction();
        double redisCpu = redisPids.length == 0 ? -1 : 0;
        for (CpuMeter meter : redis) {
            double used = meter.fraction();
            redisCpu = used < 0 || redisCpu < 0 ? -1 : redisCpu + used;
        }
        double[] nodeCpu = new double[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            nodeCpu[i] = cpu[2 + i].fraction();
        }
        int lost = loop.submit(() -> dropped).get(30, TimeUnit.SECONDS);
        closeAll();

        Histogram f = rounds.first();
        Histogram l = rounds.last();
        out.put("first_p50_ms", TickRounds.ms(f, 50), 3)
                .put("first_p99_ms", TickRounds.ms(f, 99), 3)
                .put("last_p50_ms", TickRounds.ms(l, 50), 3)
                .put("last_p99_ms", TickRounds.ms(l, 99), 3);
        for (int i = 0; i < nodes.length; i++) {
            int k = i;
            Histogram h = loop.submit(() -> lastOnNode[k].copy()).get(30, TimeUnit.SECONDS);
            out.put("node" + i + "_clients", receiversOnNode[i])
                    .put("node" + i + "_last_p50_ms", TickRounds.ms(h, 50), 3)
                    .put("node" + i + "_cpu", nodeCpu[i], 3);
        }
        // CPU time of every server process (nodes and Redis) per broadcast: what the cluster costs,
        // whatever else shares the machine's cores with it
        double serverCores = Math.max(redisCpu, 0);
        for (double c : nodeCpu) {
            serverCores += Math.max(c, 0);
        }
        out.put("server_cpu_ms_per_round", serverCores * measuredSeconds * 1000 / rounds.rounds(), 2);
        // Redis's own share: every redis-server of a cluster, summed
        out.put("redis_cpu_ms_per_round", redisCpu < 0 ? -1 : redisCpu * measuredSeconds * 1000 / rounds.rounds(), 3);
        out.put("incomplete_rounds", rounds.incompleteRounds())
                .put("missing", rounds.missing())
                .put("late", rounds.late())
                .put("dropped", lost)
                .put("generator_cpu", generatorCpu, 3)
                .put("redis_cpu", redisCpu, 3)
                .put("saturated", generatorCpu >= Scenario.SATURATED);
        out.put("ok", rounds.incompleteRounds() == 0 && lost == 0);
    }

    @Override
    public void connected(SioClient client) {
        ramp.succeeded();
        if (client.index != receivers) {
            client.send(Frames.ascii(client.channel().alloc(), "421[\"join\"]"));
        }
    }

    @Override
    public void ack(SioClient client, ByteBuf frame) {
        if (Frames.ackId(frame) == 1 && ++joined == receivers) {
            allJoined.complete(null);
        }
    }

    @Override
    public void event(SioClient client, ByteBuf frame) {
        rounds.onEvent(client, frame);
    }

    @Override
    public void closed(SioClient client, Throwable cause) {
        if (client.isConnected()) {
            if (!closing) {
                dropped++;
            }
        } else if (!closing) {
            ramp.failed(cause);
        }
    }

    /** The cluster's part of each round: per-node delivery counts and last-delivery times. */
    private final class Rounds implements TickRounds.Hooks {
        @Override
        public void trigger(int round) {
            SioClient trigger = clients[receivers];
            trigger.send(Frames.ascii(trigger.channel().alloc(), "42[\"bcast\"," + round + "]"));
        }

        @Override
        public void measuring() {
            // the caller starts its CPU meters now; a few microseconds late is fine over 30 rounds
            measuringStarted.complete(null);
        }

        @Override
        public void roundStarted() {
            Arrays.fill(deliveredOnNode, 0);
        }

        @Override
        public void delivered(SioClient client, long now) {
            int n = node(client.index);
            deliveredOnNode[n]++;
            lastAtOnNode[n] = now;
        }

        @Override
        public void completed(long roundStart) {
            for (int i = 0; i < nodes.length; i++) {
                lastOnNode[i].recordValue(lastAtOnNode[i] - roundStart);
            }
        }
    }

    private void closeAll() throws Exception {
        nodes[0].loop()
                .submit(() -> {
                    closing = true;
                    for (SioClient c : clients) {
                        if (c != null) {
                            c.close();
                        }
                    }
                })
                .get(30, TimeUnit.SECONDS);
    }

    private static long[] pids(String list) {
        return list.isBlank()
                ? new long[0]
                : Arrays.stream(list.split(","))
                        .mapToLong(p -> Long.parseLong(p.trim()))
                        .toArray();
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }
}
