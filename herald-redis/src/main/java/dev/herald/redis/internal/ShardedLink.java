package dev.herald.redis.internal;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The two Redis Cluster connections one server's sharded adapters share: one that publishes with
 * {@code SPUBLISH} (routed to the master of the channel's slot), one that holds the {@code
 * SSUBSCRIBE} subscriptions (one connection per master, opened by Lettuce as needed).
 *
 * <p>Start-up does not need the cluster: the link connects on a virtual thread, retrying with
 * capped back-off and a WARN line per attempt, and subscribes what was asked meanwhile once it
 * is in. While it is not connected, publishing fails at once (the adapter counts the message as
 * dropped).
 *
 * <p>Failover: the topology is refreshed periodically and when redirections or reconnections
 * hint at a change. A subscription lives on the master that owned its slot when it was made, so
 * after each topology change or re-established connection every wanted channel is subscribed
 * again, one {@code SSUBSCRIBE} per channel (channels of different slots cannot share one):
 * Redis ignores a repeated subscription, and a moved slot's channels land on their new master.
 * Messages are passed to the {@link Receiver} on Lettuce's I/O thread: receivers hand them off.
 */
public final class ShardedLink implements AutoCloseable {

    /** Gets the messages of the channels it registered. Called on a Lettuce thread. */
    public interface Receiver {
        /** A message on a subscribed sharded channel. */
        void receive(String channel, byte[] message);
    }

    private static final Logger log = LoggerFactory.getLogger(ShardedLink.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    /** Several events come together after a failover: one resubscription for all of them. */
    private static final long RESUBSCRIBE_DEBOUNCE_MS = 100;

    private final String description;
    private final Duration reconnectMaxDelay;
    private final ClientResources resources;
    private final RedisClusterClient client;
    private final Disposable events;
    // Any thread (Lettuce I/O threads read): receivers by channel, the subscriptions wanted.
    private final Map<String, Receiver> channels = new ConcurrentHashMap<>();
    // Written once by the connecting thread, then read by any thread.
    private volatile StatefulRedisClusterConnection<String, byte[]> pub;
    private volatile StatefulRedisClusterPubSubConnection<String, byte[]> sub;
    // Any thread.
    private volatile boolean closed;
    private final AtomicBoolean resubscribeScheduled = new AtomicBoolean();
    private final AtomicLong resubscriptions = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();

    /** Starts connecting to the cluster at these seed URIs; returns at once. */
    public ShardedLink(
            List<String> uris, Duration reconnectMaxDelay, Duration commandTimeout, Duration topologyRefreshPeriod) {
        this.description = Unreachable.where(uris);
        this.reconnectMaxDelay = reconnectMaxDelay;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), reconnectMaxDelay, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = clusterClient(resources, uris, commandTimeout, topologyRefreshPeriod);
        this.events = resources
                .eventBus()
                .get()
                .filter(e -> e instanceof ClusterTopologyChangedEvent || e instanceof ConnectionActivatedEvent)
                .subscribe(e -> scheduleResubscribe());
        Thread.ofVirtual().name("herald-redis-cluster-connect").start(this::connect);
    }

    /**
     * A cluster client that follows the topology (periodically, and at once when a redirection or
     * failed reconnections hint at a change), and rejects commands while a node is unreachable
     * instead of buffering them, so that nothing is delivered late.
     */
    public static RedisClusterClient clusterClient(
            ClientResources resources, List<String> uris, Duration commandTimeout, Duration topologyRefreshPeriod) {
        var redisUris = uris.stream()
                .map(uri -> {
                    var parsed = RedisURI.create(uri);
                    parsed.setTimeout(commandTimeout);
                    return parsed;
                })
                .toList();
        var client = RedisClusterClient.create(resources, redisUris);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClusterClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(topologyRefreshPeriod)
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .refreshTriggersReconnectAttempts(2)
                        .build())
                .build());
        return client;
    }

    private void connect() {
        Duration delay = Unreachable.FIRST_RETRY;
        while (!closed) {
            try {
                var p = client.connect(CODEC);
                StatefulRedisClusterPubSubConnection<String, byte[]> s;
                try {
                    s = client.connectPubSub(CODEC);
                } catch (RuntimeException e) {
                    p.close();
                    throw e;
                }
                s.addListener(new RedisClusterPubSubAdapter<>() {
                    @Override
                    public void smessage(RedisClusterNode node, String channel, byte[] message) {
                        var receiver = channels.get(channel);
                        if (receiver != null) {
                            received.incrementAndGet();
                            receiver.receive(channel, message);
                        }
                    }
                });
                pub = p;
                sub = s;
                awaitMasterConnections(p);
                log.info("connected to the Redis Cluster at {}", description);
                connected.complete(null);
                channels.keySet().forEach(this::trySubscribe);
                if (closed) {
                    s.close();
                    p.close();
                }
                return;
            } catch (RuntimeException e) {
                if (Unreachable.test(e)) {
                    log.warn(
                            "the Redis Cluster at {} is unreachable ({}); trying again in {} ms",
                            description,
                            Unreachable.rootMessage(e),
                            delay.toMillis());
                } else {
                    // nobody waits for this thread to throw to: say it loudly, and keep trying
                    log.error(
                            "the Redis Cluster at {} refused the connection ({}); trying again in {} ms",
                            description,
                            Unreachable.rootMessage(e),
                            delay.toMillis());
                }
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    return;
                }
                delay = Unreachable.next(delay, reconnectMaxDelay);
            }
        }
    }

    /** Completes once both connections are open for the first time. */
    public CompletableFuture<Void> firstConnection() {
        return connected;
    }

    /** Subscribes a receiver to sharded channels; returns at once (see the class comment). */
    public void subscribe(Receiver receiver, String... channelNames) {
        for (var name : channelNames) {
            channels.put(name, receiver);
            trySubscribe(name);
        }
    }

    /** Unsubscribes sharded channels; returns at once. */
    public void unsubscribe(String... channelNames) {
        var s = sub;
        for (var name : channelNames) {
            if (channels.remove(name) != null && s != null && s.isOpen()) {
                s.async().sunsubscribe(name);
            }
        }
    }

    private void trySubscribe(String channel) {
        var s = sub;
        if (closed || s == null || !channels.containsKey(channel)) {
            return;
        }
        s.async().ssubscribe(channel).toCompletableFuture().whenComplete((ok, e) -> {
            if (e != null && !closed && channels.containsKey(channel)) {
                log.debug("cannot subscribe to {} yet, retrying: {}", channel, e.toString());
                CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> trySubscribe(channel));
            }
        });
    }

    private void scheduleResubscribe() {
        if (closed || sub == null || !resubscribeScheduled.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture.delayedExecutor(RESUBSCRIBE_DEBOUNCE_MS, TimeUnit.MILLISECONDS)
                .execute(() -> {
                    resubscribeScheduled.set(false);
                    if (closed) {
                        return;
                    }
                    try {
                        openMasterConnections();
                        resubscriptions.incrementAndGet();
                        log.debug(
                                "subscribing {} sharded channels again after a topology or connection change",
                                channels.size());
                        channels.keySet().forEach(this::trySubscribe);
                    } catch (RuntimeException e) {
                        // the connections are closing, or the topology changes again: the next event retries
                        log.debug("cannot renew the subscriptions now: {}", e.toString());
                    }
                });
    }

    /**
     * Opens the publishing connection to every master now. Lettuce opens them on first use, and
     * with commands rejected while disconnected, the first command to a master would be dropped.
     */
    private CompletableFuture<Void> openMasterConnections() {
        var p = pub;
        return p == null ? CompletableFuture.completedFuture(null) : openMasterConnections(p);
    }

    /**
     * Opens the connections to the masters and waits up to 10 s for them; a master that cannot be
     * reached now is left to the topology refresh (its slots' commands fail until then).
     */
    public static void awaitMasterConnections(StatefulRedisClusterConnection<?, ?> p) {
        try {
            openMasterConnections(p).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("not every master is reachable yet: {}", e.toString());
        }
    }

    /** As {@link #openMasterConnections()}, for any connection of a {@link #clusterClient}. */
    private static CompletableFuture<Void> openMasterConnections(StatefulRedisClusterConnection<?, ?> p) {
        var opening = p.getPartitions().stream()
                .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL))
                .map(node -> p.getConnectionAsync(
                        node.getUri().getHost(), node.getUri().getPort()))
                .toArray(CompletableFuture<?>[]::new);
        return CompletableFuture.allOf(opening);
    }

    /** How many times every subscription was renewed after a topology or connection change. */
    public long resubscriptions() {
        return resubscriptions.get();
    }

    /** How many messages arrived on subscribed channels since the start. */
    public long receivedMessages() {
        return received.get();
    }

    /** {@code SPUBLISH}; the future fails at once while the channel's master is unreachable. */
    public CompletableFuture<Long> publish(String channel, byte[] message) {
        var p = pub;
        if (p == null) {
            return CompletableFuture.failedFuture(
                    new RedisConnectionException("not connected to the Redis Cluster at " + description + " yet"));
        }
        return p.async().spublish(channel, message).toCompletableFuture();
    }

    /**
     * How many connections subscribe to the sharded channel, summed over the masters as Node's
     * adapter counts ({@code PUBSUB SHARDNUMSUB} on each); a master that does not answer counts 0.
     */
    public CompletableFuture<Integer> subscribers(String channel) {
        var p = pub;
        if (p == null) {
            return CompletableFuture.failedFuture(
                    new RedisConnectionException("not connected to the Redis Cluster at " + description + " yet"));
        }
        return sum(p.async().masters().commands().pubsubShardNumsub(channel).futures(), channel);
    }

    /** The sum of the per-node counts of a channel; a node that did not answer counts 0. */
    static CompletableFuture<Integer> sum(CompletableFuture<Map<String, Long>>[] counts, String channel) {
        var total = new AtomicInteger();
        var each = new CompletableFuture<?>[counts.length];
        for (int i = 0; i < counts.length; i++) {
            each[i] = counts[i].handle((map, e) ->
                    e == null ? total.addAndGet(map.getOrDefault(channel, 0L).intValue()) : 0);
        }
        return CompletableFuture.allOf(each).thenApply(ignored -> total.get());
    }

    /** Whether both connections are up now. */
    public boolean connected() {
        var p = pub;
        var s = sub;
        return p != null && s != null && p.isOpen() && s.isOpen();
    }

    /** Closes both connections and stops Lettuce's threads. */
    @Override
    public void close() {
        closed = true;
        events.dispose();
        var s = sub;
        var p = pub;
        if (s != null) {
            s.close();
        }
        if (p != null) {
            p.close();
        }
        client.shutdown();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
