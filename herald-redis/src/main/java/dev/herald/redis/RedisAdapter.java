package dev.herald.redis;

import dev.herald.redis.internal.Channels;
import dev.herald.redis.internal.ClassicCodec;
import dev.herald.redis.internal.RedisLink;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.adapter.ClusterAdapter;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClusterAdapter} over Redis pub/sub, wire-compatible with the classic
 * {@code @socket.io/redis-adapter} 8.3: Herald and Node nodes can share one cluster, and both
 * {@link RedisEmitter} and Node's {@code @socket.io/redis-emitter} reach the clients of either.
 *
 * <pre>{@code
 * var io = SocketIoServer.create(SocketIoOptions.builder()
 *         .adapterFactory(RedisAdapter.factory(RedisAdapterOptions.builder("redis://127.0.0.1:6379").build()))
 *         .build());
 * }</pre>
 *
 * <p>Messages arrive on Lettuce's I/O threads and are handed at once to this adapter's own serial
 * executor (a virtual thread), where they are decoded and applied. When Redis goes away the node
 * keeps serving its own clients; Lettuce reconnects with capped exponential back-off, and the
 * cluster messages published meanwhile are dropped, logged and counted in {@link
 * #droppedMessages()}.
 */
public final class RedisAdapter extends ClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);
    /**
     * How long one Redis command may take before its message counts as dropped. Longer than the
     * request timeout: a burst on a loaded machine must not be reported as lost, and an outage
     * fails commands at once anyway (they are rejected while disconnected).
     */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    /** How often a cluster's topology is read again, besides the refreshes that failures trigger. */
    private static final Duration CLUSTER_TOPOLOGY_REFRESH = Duration.ofSeconds(10);

    private final RedisLink link;
    private final ClassicCodec codec;
    private final boolean specificResponseChannel;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisAdapter(Namespace nsp, RedisLink link, RedisAdapterOptions options, Runnable onClose) {
        super(nsp, options.requestsTimeout());
        this.link = link;
        this.codec = new ClassicCodec(new Channels(options.key(), nsp.name()));
        this.specificResponseChannel = options.publishOnSpecificResponseChannel();
        this.onClose = onClose;
    }

    /**
     * A factory for {@code SocketIoOptions.adapterFactory}, connected to Redis now; its adapters
     * share two connections. While Redis cannot be reached this waits, logging a WARN line per
     * attempt and trying again with back-off (capped at {@code reconnectMaxDelay}).
     *
     * @throws io.lettuce.core.RedisException if Redis refused the connection (wrong password,
     *     untrusted certificate): waiting would not help
     */
    public static Factory factory(RedisAdapterOptions options) {
        return new Factory(options);
    }

    /** A factory with the default options for the Redis server at {@code uri}. */
    public static Factory factory(String uri) {
        return factory(RedisAdapterOptions.builder(uri).build());
    }

    @Override
    public void init() {
        super.init();
        var c = codec.channels();
        link.subscribe(this::receive, c.broadcastPattern(), c.request(), c.response(), c.response(uid()));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        var c = codec.channels();
        link.unsubscribe(c.broadcastPattern(), c.request(), c.response(), c.response(uid()));
        super.close();
        onClose.run();
    }

    @Override
    protected CompletableFuture<?> doPublish(ClusterMessage message) {
        var out = codec.encode(message);
        return link.publish(out.channel(), out.payload());
    }

    @Override
    protected CompletableFuture<?> doPublishResponse(String requesterUid, ClusterResponse response) {
        var out = codec.encode(response, requesterUid, specificResponseChannel);
        return link.publish(out.channel(), out.payload());
    }

    @Override
    protected CompletableFuture<Integer> fetchServerCount() {
        return link.subscribers(codec.channels().request());
    }

    /** On a Lettuce I/O thread: hand off at once. */
    private void receive(String channel, byte[] payload) {
        execute(() -> handle(channel, payload));
    }

    private void handle(String channel, byte[] payload) {
        var c = codec.channels();
        try {
            if (channel.equals(c.request())) {
                codec.decodeRequest(payload).ifPresent(this::onMessage);
            } else if (channel.startsWith(c.response())) {
                codec.decodeResponse(payload, this::pendingRequest).ifPresent(this::onResponse);
            } else {
                String room = c.roomOf(channel);
                // a node without the room has no recipient for it, as Node's adapter skips it
                if (room == null || (!room.isEmpty() && !rooms().contains(room))) {
                    return;
                }
                onMessage(codec.decodeBroadcast(payload));
            }
        } catch (RuntimeException e) {
            log.debug("ignoring a malformed message on {}: {}", channel, e.toString());
        }
    }

    /**
     * Creates one {@link RedisAdapter} per namespace on a shared pair of Redis connections. The
     * connections close when the last adapter closes (the server closes), or with {@link #close()}.
     */
    public static final class Factory extends SharedLinkFactory<RedisAdapter> {
        private final RedisAdapterOptions options;
        private final RedisLink link;

        private Factory(RedisAdapterOptions options) {
            super("RedisAdapter");
            this.options = options;
            this.link = options.cluster()
                    ? RedisLink.cluster(
                            List.of(options.uri()),
                            options.reconnectMaxDelay(),
                            COMMAND_TIMEOUT,
                            CLUSTER_TOPOLOGY_REFRESH)
                    : new RedisLink(
                            options.uri(), options.reconnectMaxDelay(), COMMAND_TIMEOUT, options.trustedCertificates());
        }

        @Override
        RedisAdapter newAdapter(Namespace namespace, Runnable onClose) {
            return new RedisAdapter(namespace, link, options, onClose);
        }

        /** Whether both Redis connections are up now. */
        public boolean connected() {
            return link.connected();
        }

        @Override
        void closeLink() {
            link.close();
        }
    }
}
