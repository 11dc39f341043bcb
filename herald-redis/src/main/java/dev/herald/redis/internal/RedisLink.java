package dev.herald.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two Redis connections one server's adapters share, as Node's adapter shares a pub and a
 * sub client: one to publish and count subscribers, one in subscribed state.
 *
 * <p>Lettuce reconnects both after an outage with capped exponential back-off and subscribes the
 * sub connection again. While disconnected, commands are rejected at once instead of being
 * buffered, so a publish fails fast and is counted as dropped, and old messages are never
 * delivered late. Received messages are passed to the registered {@link Receiver} on Lettuce's
 * I/O thread: receivers must hand them off at once.
 */
public final class RedisLink implements AutoCloseable {

    /** Gets the messages of the channels and patterns it registered. Called on a Lettuce thread. */
    public interface Receiver {
        /** A message on a subscribed channel, or on a channel matching a subscribed pattern. */
        void receive(String channel, byte[] message);
    }

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<String, byte[]> pubConnection;
    private final RedisClusterAsyncCommands<String, byte[]> pub;
    private final StatefulRedisPubSubConnection<String, byte[]> sub;
    // Present on a Redis Cluster, where each subscriber is counted by the node it is connected to.
    private final Optional<StatefulRedisClusterConnection<String, byte[]>> cluster;
    // Opened by the first xread: blocking reads must not hold up the publishing connection.
    // Guarded by `this`.
    private StatefulRedisConnection<String, byte[]> reader;
    // Any thread (Lettuce I/O thread reads): receivers by channel and by pattern.
    private final Map<String, Receiver> channels = new ConcurrentHashMap<>();
    private final Map<String, Receiver> patterns = new ConcurrentHashMap<>();
    // Any thread: set once by close(), stops subscription retries.
    private volatile boolean closed;

    /** Both connections, as made by a standalone or a cluster client. */
    private record Connections(
            StatefulConnection<String, byte[]> pubConnection,
            RedisClusterAsyncCommands<String, byte[]> pub,
            StatefulRedisPubSubConnection<String, byte[]> sub,
            Optional<StatefulRedisClusterConnection<String, byte[]>> cluster) {}

    /**
     * Connects both connections to a Redis server; while it cannot be reached this waits and
     * tries again (see {@link Unreachable}).
     *
     * @throws io.lettuce.core.RedisException if Redis refused the connection (password, TLS)
     */
    public RedisLink(
            String uri, Duration reconnectMaxDelay, Duration commandTimeout, Optional<Path> trustedCertificates) {
        this(
                resources(reconnectMaxDelay),
                standalone(uri, commandTimeout, trustedCertificates),
                reconnectMaxDelay,
                Unreachable.where(List.of(uri)));
    }

    /**
     * Connects both connections to a Redis Cluster for classic pub/sub (which the cluster
     * forwards to every node); waits while it cannot be reached, as the other constructor.
     */
    public static RedisLink cluster(
            List<String> uris, Duration reconnectMaxDelay, Duration commandTimeout, Duration topologyRefreshPeriod) {
        var resources = resources(reconnectMaxDelay);
        return new RedisLink(
                resources,
                ShardedLink.clusterClient(resources, uris, commandTimeout, topologyRefreshPeriod),
                reconnectMaxDelay,
                Unreachable.where(uris));
    }

    private static ClientResources resources(Duration reconnectMaxDelay) {
        return ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), reconnectMaxDelay, 2, TimeUnit.MILLISECONDS))
                .build();
    }

    private static Function<ClientResources, RedisClient> standalone(
            String uri, Duration commandTimeout, Optional<Path> trustedCertificates) {
        return resources -> {
            var redisUri = RedisURI.create(uri);
            redisUri.setTimeout(commandTimeout);
            var client = RedisClient.create(resources, redisUri);
            var options = ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            trustedCertificates.ifPresent(pem -> options.sslOptions(SslOptions.builder()
                    .jdkSslProvider()
                    .trustManager(pem.toFile())
                    .build()));
            client.setOptions(options.build());
            return client;
        };
    }

    private RedisLink(
            ClientResources resources,
            Function<ClientResources, RedisClient> standalone,
            Duration reconnectMaxDelay,
            String where) {
        this(resources, standalone.apply(resources), reconnectMaxDelay, where);
    }

    private RedisLink(ClientResources resources, AbstractRedisClient client, Duration reconnectMaxDelay, String where) {
        this.resources = resources;
        this.client = client;
        Connections connections;
        try {
            connections = Unreachable.await(log, where, reconnectMaxDelay, () -> connect(client));
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            throw e;
        }
        this.pubConnection = connections.pubConnection();
        this.pub = connections.pub();
        this.sub = connections.sub();
        this.cluster = connections.cluster();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                var receiver = channels.get(channel);
                if (receiver != null) {
                    receiver.receive(channel, message);
                }
            }

            @Override
            public void message(String pattern, String channel, byte[] message) {
                var receiver = patterns.get(pattern);
                if (receiver != null) {
                    receiver.receive(channel, message);
                }
            }
        });
    }

    private static Connections connect(AbstractRedisClient client) {
        if (client instanceof RedisClusterClient clusterClient) {
            var p = clusterClient.connect(CODEC);
            try {
                // the first command to a master whose connection is still opening would be rejected
                ShardedLink.awaitMasterConnections(p);
                return new Connections(p, p.async(), clusterClient.connectPubSub(CODEC), Optional.of(p));
            } catch (RuntimeException e) {
                p.close();
                throw e;
            }
        }
        var standalone = (RedisClient) client;
        var p = standalone.connect(CODEC);
        try {
            return new Connections(p, p.async(), standalone.connectPubSub(CODEC), Optional.empty());
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /**
     * Subscribes a receiver to a pattern and to channels; returns at once. While Redis is
     * unreachable the subscription is retried every second until it succeeds or is withdrawn
     * (Lettuce restores only the subscriptions that succeeded once).
     */
    public void subscribe(Receiver receiver, String pattern, String... channelNames) {
        patterns.put(pattern, receiver);
        for (var name : channelNames) {
            channels.put(name, receiver);
        }
        trySubscribe(receiver, Optional.of(pattern), channelNames);
    }

    /** Subscribes a receiver to channels only; as {@link #subscribe}. */
    public void subscribeChannels(Receiver receiver, String... channelNames) {
        for (var name : channelNames) {
            channels.put(name, receiver);
        }
        trySubscribe(receiver, Optional.empty(), channelNames);
    }

    private void trySubscribe(Receiver receiver, Optional<String> pattern, String... channelNames) {
        boolean withdrawn = pattern.isPresent()
                ? patterns.get(pattern.get()) != receiver
                : channelNames.length > 0 && channels.get(channelNames[0]) != receiver;
        if (closed || withdrawn) {
            return;
        }
        var async = sub.async();
        CompletableFuture.allOf(
                        pattern.map(p -> async.psubscribe(p).toCompletableFuture())
                                .orElse(CompletableFuture.completedFuture(null)),
                        async.subscribe(channelNames).toCompletableFuture())
                .whenComplete((ok, e) -> {
                    if (e != null && !closed) {
                        log.warn(
                                "cannot subscribe to {} yet, retrying: {}",
                                pattern.orElse(String.join(",", channelNames)),
                                e.toString());
                        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS)
                                .execute(() -> trySubscribe(receiver, pattern, channelNames));
                    }
                });
    }

    /** Unsubscribes channels; returns at once. */
    public void unsubscribeChannels(String... channelNames) {
        for (var name : channelNames) {
            channels.remove(name);
        }
        if (sub.isOpen()) {
            sub.async().unsubscribe(channelNames);
        }
    }

    // ---- streams and keys, for the streams adapter ----

    /** {@code XADD stream MAXLEN ~ maxLen * fields…}: the new entry's id. */
    public CompletableFuture<String> xadd(String stream, long maxLen, Map<String, byte[]> fields) {
        return pub.xadd(stream, XAddArgs.Builder.maxlen(maxLen).approximateTrimming(), fields)
                .toCompletableFuture();
    }

    /** {@code XRANGE stream from to} (both inclusive). */
    public CompletableFuture<List<StreamMessage<String, byte[]>>> xrange(String stream, String from, String to) {
        return pub.xrange(stream, Range.create(from, to)).toCompletableFuture();
    }

    /** The id of the newest entry of the stream, if it has any. */
    public CompletableFuture<Optional<String>> newestId(String stream) {
        return pub.xrevrange(stream, Range.create("-", "+"), Limit.from(1))
                .toCompletableFuture()
                .thenApply(entries -> entries.isEmpty()
                        ? Optional.empty()
                        : Optional.of(entries.get(0).getId()));
    }

    /**
     * {@code XREAD COUNT count BLOCK block STREAMS stream after}, on a connection of its own: the
     * entries after {@code after}, empty when none came within {@code block}.
     */
    public CompletableFuture<List<StreamMessage<String, byte[]>>> xread(
            String stream, String after, int count, Duration block) {
        StatefulRedisConnection<String, byte[]> connection;
        synchronized (this) {
            if (reader == null) {
                if (!(client instanceof RedisClient standalone)) {
                    throw new UnsupportedOperationException("streams are read from a standalone Redis only");
                }
                reader = standalone.connect(CODEC);
            }
            connection = reader;
        }
        return connection
                .async()
                .xread(XReadArgs.Builder.count(count).block(block), XReadArgs.StreamOffset.from(stream, after))
                .toCompletableFuture();
    }

    /** {@code SET key value PX ttl}. */
    public CompletableFuture<String> set(String key, byte[] value, Duration ttl) {
        return pub.set(key, value, SetArgs.Builder.px(ttl)).toCompletableFuture();
    }

    /** {@code GETDEL key} (Redis 6.2+): the value, if the key existed. */
    public CompletableFuture<Optional<byte[]>> getdel(String key) {
        return pub.getdel(key).toCompletableFuture().thenApply(Optional::ofNullable);
    }

    /** {@code DEL key}. */
    public CompletableFuture<Long> del(String key) {
        return pub.del(key).toCompletableFuture();
    }

    /** Unsubscribes a pattern and channels; returns at once. */
    public void unsubscribe(String pattern, String... channelNames) {
        patterns.remove(pattern);
        for (var name : channelNames) {
            channels.remove(name);
        }
        if (sub.isOpen()) {
            sub.async().punsubscribe(pattern);
            sub.async().unsubscribe(channelNames);
        }
    }

    /** Publishes; the future fails at once while Redis is unreachable. */
    public CompletableFuture<Long> publish(String channel, byte[] message) {
        return pub.publish(channel, message).toCompletableFuture();
    }

    /**
     * How many connections subscribe to the channel ({@code PUBSUB NUMSUB}); on a cluster,
     * summed over every node, since each subscriber is counted by the node it is connected to (a
     * node that does not answer counts 0).
     */
    public CompletableFuture<Integer> subscribers(String channel) {
        if (cluster.isEmpty()) {
            return pub.pubsubNumsub(channel)
                    .toCompletableFuture()
                    .thenApply(counts -> counts.getOrDefault(channel, 0L).intValue());
        }
        return ShardedLink.sum(
                cluster.get().async().all().commands().pubsubNumsub(channel).futures(), channel);
    }

    /** Whether both connections are up now. */
    public boolean connected() {
        return pubConnection.isOpen() && sub.isOpen();
    }

    /** Whether the stream reading connection, if any, is up now. */
    public synchronized boolean readerConnected() {
        return reader == null || reader.isOpen();
    }

    /** Closes both connections and stops Lettuce's threads. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (reader != null) {
                reader.close();
            }
        }
        sub.close();
        pubConnection.close();
        client.shutdown();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
