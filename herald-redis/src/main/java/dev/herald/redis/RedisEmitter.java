package dev.herald.redis;

import dev.herald.redis.internal.Channels;
import dev.herald.redis.internal.ShardedCodec;
import dev.herald.redis.internal.ShardedLink;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Emits to the clients of a Socket.IO cluster from any Java process, through Redis: the Java twin
 * of Node's {@code @socket.io/redis-emitter}, publishing the same bytes on the same channels.
 *
 * <pre>{@code
 * try (var emitter = RedisEmitter.create("redis://127.0.0.1:6379")) {
 *   emitter.of("/tasks").to("task-42").emit("progress", Map.of("percent", 50));
 * }
 * }</pre>
 *
 * <p>Write-only: it cannot receive acknowledgements, and {@code serverSideEmit} takes no ack. Every
 * method may be called from any thread and returns at once; the returned future completes when
 * Redis has accepted the message, with the number of subscribed connections (nodes) that got it.
 * Instances are immutable: {@link #of} returns a view on another namespace that shares the one
 * Redis connection. Closing any view closes that connection.
 *
 * <p>On a Redis Cluster, {@link #cluster} publishes for {@link RedisAdapter}s (classic pub/sub,
 * which the cluster forwards to every node), and {@link #sharded} for {@link ShardedRedisAdapter}s
 * and Node's {@code createShardedAdapter}: {@code SPUBLISH} on the channels their subscription
 * mode reads, in their format (Node's emitter has no sharded mode).
 */
public final class RedisEmitter implements AutoCloseable {

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final Publisher publisher;
    private final Channels channels;

    private RedisEmitter(Publisher publisher, Channels channels) {
        this.publisher = publisher;
        this.channels = channels;
    }

    /**
     * Connects to Redis (for example {@code redis://:password@host:6379/0}, or {@code rediss://}
     * for TLS) and emits on the main namespace {@code /} with the default key {@code socket.io}.
     *
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     */
    public static RedisEmitter create(String redisUri) {
        return create(redisUri, Channels.DEFAULT_KEY);
    }

    /**
     * Connects to Redis and emits with the given key prefix (Node's {@code key} option).
     *
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     */
    public static RedisEmitter create(String redisUri, String key) {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(key, "key");
        var client = RedisClient.create(RedisURI.create(redisUri));
        try {
            var connection = client.connect(CODEC);
            return new RedisEmitter(
                    new Publisher(
                            (channel, message) ->
                                    connection.async().publish(channel, message).toCompletableFuture(),
                            Optional.empty(),
                            () -> {
                                connection.close();
                                client.shutdown();
                            }),
                    new Channels(key, "/"));
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /**
     * Connects to the Redis Cluster at {@code clusterUri} (one node is enough) and publishes for
     * {@link RedisAdapter}s with this key: {@code PUBLISH}, which the cluster forwards to every node.
     *
     * @throws io.lettuce.core.RedisConnectionException if the cluster cannot be reached
     */
    public static RedisEmitter cluster(String clusterUri, String key) {
        Objects.requireNonNull(key, "key");
        return onCluster(
                List.of(Objects.requireNonNull(clusterUri, "clusterUri")), Optional.empty(), new Channels(key, "/"));
    }

    /**
     * Connects to the Redis Cluster of these options and publishes for {@link
     * ShardedRedisAdapter}s (and Node's {@code createShardedAdapter}) with the same channel prefix
     * and subscription mode: {@code SPUBLISH}, to the master of each channel's slot.
     *
     * @throws io.lettuce.core.RedisConnectionException if the cluster cannot be reached
     */
    public static RedisEmitter sharded(ShardedRedisAdapterOptions options) {
        Objects.requireNonNull(options, "options");
        return onCluster(options.uris(), Optional.of(options), new Channels(options.channelPrefix(), "/"));
    }

    private static RedisEmitter onCluster(
            List<String> uris, Optional<ShardedRedisAdapterOptions> sharded, Channels channels) {
        var resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .build();
        var client = ShardedLink.clusterClient(
                resources,
                uris,
                Duration.ofSeconds(10),
                sharded.map(ShardedRedisAdapterOptions::topologyRefreshPeriod).orElse(Duration.ofSeconds(10)));
        Runnable shutdown = () -> {
            client.shutdown();
            resources.shutdown();
        };
        try {
            var connection = client.connect(CODEC);
            // the first command to a master whose connection is still opening would be rejected
            ShardedLink.awaitMasterConnections(connection);
            BiFunction<String, byte[], CompletableFuture<Long>> publish = sharded.isPresent()
                    ? (channel, message) ->
                            connection.async().spublish(channel, message).toCompletableFuture()
                    : (channel, message) ->
                            connection.async().publish(channel, message).toCompletableFuture();
            return new RedisEmitter(
                    new Publisher(publish, sharded.map(ShardedRedisAdapterOptions::subscriptionMode), () -> {
                        connection.close();
                        shutdown.run();
                    }),
                    channels);
        } catch (RuntimeException e) {
            shutdown.run();
            throw e;
        }
    }

    /** The same emitter on another namespace; a name without a leading {@code /} gets one. */
    public RedisEmitter of(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        var name = namespace.startsWith("/") ? namespace : "/" + namespace;
        return new RedisEmitter(publisher, new Channels(channels.key(), name));
    }

    /** The namespace this emitter emits on. */
    public String namespace() {
        return channels.nsp();
    }

    /** Emits to every client of the namespace, on every node. */
    public CompletableFuture<Long> emit(String event, Object... args) {
        return operator().emit(event, args);
    }

    /** Targets the clients in these rooms (the union, when called several times). */
    public EmitterBroadcastOperator to(String... rooms) {
        return operator().to(rooms);
    }

    /** Same as {@link #to}. */
    public EmitterBroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** Skips the clients in these rooms. */
    public EmitterBroadcastOperator except(String... rooms) {
        return operator().except(rooms);
    }

    /** Lets each node drop the event for a client that is not ready (Node's {@code volatile}). */
    public EmitterBroadcastOperator asVolatile() {
        return operator().asVolatile();
    }

    /** Sets the {@code compress} flag. */
    public EmitterBroadcastOperator compress(boolean compress) {
        return operator().compress(compress);
    }

    /** Makes every socket of the namespace join these rooms, on every node. */
    public CompletableFuture<Long> socketsJoin(String... rooms) {
        return operator().socketsJoin(rooms);
    }

    /** Makes every socket of the namespace leave these rooms, on every node. */
    public CompletableFuture<Long> socketsLeave(String... rooms) {
        return operator().socketsLeave(rooms);
    }

    /** Disconnects every socket of the namespace, on every node, keeping their connections. */
    public CompletableFuture<Long> disconnectSockets() {
        return disconnectSockets(false);
    }

    /**
     * Disconnects every socket of the namespace, on every node.
     *
     * @param close whether to close the underlying connection too
     */
    public CompletableFuture<Long> disconnectSockets(boolean close) {
        return operator().disconnectSockets(close);
    }

    /** Sends an event to the servers of the cluster (their {@code serverSideEmit} listeners). */
    public CompletableFuture<Long> serverSideEmit(String event, Object... args) {
        return operator().serverSideEmit(event, args);
    }

    /** Closes the Redis connection shared by this emitter and every view of it. */
    @Override
    public void close() {
        publisher.close();
    }

    private EmitterBroadcastOperator operator() {
        return new EmitterBroadcastOperator(publisher, channels);
    }

    /**
     * The one connection an emitter and its views publish on, and the format: the classic
     * adapter's, or the sharded adapter's for a subscription mode.
     */
    static final class Publisher {
        private final BiFunction<String, byte[], CompletableFuture<Long>> publish;
        private final Optional<SubscriptionMode> sharded;
        private final Runnable close;

        Publisher(
                BiFunction<String, byte[], CompletableFuture<Long>> publish,
                Optional<SubscriptionMode> sharded,
                Runnable close) {
            this.publish = publish;
            this.sharded = sharded;
            this.close = close;
        }

        CompletableFuture<Long> publish(String channel, byte[] message) {
            return publish.apply(channel, message);
        }

        /** The sharded codec of a namespace, when this publisher speaks the sharded format. */
        Optional<ShardedCodec> sharded(Channels channels) {
            return sharded.map(mode -> new ShardedCodec(channels.key(), channels.nsp(), mode));
        }

        void close() {
            close.run();
        }
    }
}
