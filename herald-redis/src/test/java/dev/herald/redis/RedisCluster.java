package dev.herald.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real Redis 7 Cluster for tests: {@code masters} nodes, each with {@code replicasPerMaster}
 * replicas, on 127.0.0.1, joined by {@code redis-cli --cluster create}, stopped by {@link
 * #close()}. Nodes notice a dead peer after one second ({@code cluster-node-timeout}), so a
 * replica takes over a killed master within a few seconds.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration READY = Duration.ofSeconds(30);

    // Owned by the test thread.
    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {}

    /**
     * Starts and joins the cluster, and waits until every node reports it healthy.
     *
     * @throws IllegalStateException if redis-server is older than 7 (no sharded pub/sub) or the
     *     cluster does not form
     */
    public static RedisCluster launch(int masters, int replicasPerMaster) {
        requireRedis7();
        var cluster = new RedisCluster();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                cluster.nodes.add(RedisServer.launchClusterNode(NODE_TIMEOUT));
            }
            var command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.nodes.forEach(n -> command.add("127.0.0.1:" + n.port()));
            command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
            String output = run(command);
            if (!output.contains("All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** A seed URI for clients: the first node (clients discover the others from it). */
    public String uri() {
        return "redis://127.0.0.1:" + nodes.getFirst().port();
    }

    /** Every node, masters and replicas. */
    List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The node that serves this channel's (or key's) slot now. */
    RedisServer masterOf(String channel) {
        var live = nodes.stream().filter(RedisServer::running).findFirst().orElseThrow();
        var client = RedisClient.create(RedisURI.create("127.0.0.1", live.port()));
        try (var connection = client.connect()) {
            long slot = connection.sync().clusterKeyslot(channel);
            for (String line : connection.sync().clusterNodes().split("\n")) {
                var fields = line.split(" ");
                if (!fields[2].contains("master") || fields[2].contains("fail")) {
                    continue;
                }
                for (int i = 8; i < fields.length; i++) {
                    var range = fields[i].split("-");
                    if (range[0].startsWith("[")) {
                        continue;
                    }
                    long from = Long.parseLong(range[0]);
                    long to = range.length > 1 ? Long.parseLong(range[1]) : from;
                    if (slot >= from && slot <= to) {
                        int port = Integer.parseInt(
                                fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                        return nodes.stream()
                                .filter(n -> n.port() == port)
                                .findFirst()
                                .orElseThrow();
                    }
                }
            }
            throw new IllegalStateException("no master serves slot " + slot);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** How many connections subscribe to the sharded channel ({@code PUBSUB SHARDNUMSUB} on its master). */
    int shardSubscribers(String channel) {
        var master = masterOf(channel);
        var client = RedisClient.create(RedisURI.create("127.0.0.1", master.port()));
        try (var connection = client.connect()) {
            return connection
                    .sync()
                    .pubsubShardNumsub(channel)
                    .getOrDefault(channel, 0L)
                    .intValue();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /**
     * Waits until every running node reports every slot served by a healthy master (after a
     * crash: until a replica took over).
     */
    void awaitHealthy() {
        await().atMost(READY)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> nodes.stream()
                        .filter(RedisServer::running)
                        .allMatch(n -> info(n).contains("cluster_slots_ok:16384")));
    }

    private static String info(RedisServer node) {
        var client = RedisClient.create(RedisURI.create("127.0.0.1", node.port()));
        try (var connection = client.connect()) {
            return connection.sync().clusterInfo();
        } catch (RuntimeException e) {
            return "";
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private static void requireRedis7() {
        String version = run(List.of("redis-server", "--version"));
        var matcher = Pattern.compile("v=(\\d+)\\.").matcher(version);
        if (!matcher.find() || Integer.parseInt(matcher.group(1)) < 7) {
            throw new IllegalStateException("sharded pub/sub needs redis-server 7 or newer: " + version.trim());
        }
    }

    private static String run(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
