package dev.herald.redis;

import dev.herald.redis.internal.ClusterCodec;
import dev.herald.redis.internal.ShardedCodec;
import dev.herald.redis.internal.ShardedLink;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.adapter.ClusterAdapter;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClusterAdapter} over Redis Cluster sharded pub/sub ({@code SSUBSCRIBE}/{@code
 * SPUBLISH}, Redis 7+), wire-compatible with {@code @socket.io/redis-adapter} 8.3's {@code
 * createShardedAdapter}: Herald and Node nodes can share one cluster.
 *
 * <pre>{@code
 * var io = SocketIoServer.create(SocketIoOptions.builder()
 *         .adapterFactory(ShardedRedisAdapter.factory(
 *                 ShardedRedisAdapterOptions.builder("redis://10.0.0.1:7000").build()))
 *         .build());
 * }</pre>
 *
 * <p>Channels: {@code <prefix>#<nsp>#} carries every message of the namespace, {@code
 * <prefix>#<nsp>#<uid>#} the answers to one node, and in the dynamic modes {@code
 * <prefix>#<nsp>#<room>#} the broadcasts to exactly one room, subscribed by the nodes that have a
 * member in it (see {@link SubscriptionMode}). Each channel hashes to one slot, so the load
 * spreads over the masters as the channels do. Messages are {@code socket.io-adapter}'s cluster
 * messages, JSON unless they carry binary (then msgpack).
 *
 * <p>Messages arrive on Lettuce's I/O threads and are handed at once to this adapter's serial
 * executor. When a master fails, messages on its slots are dropped (logged, counted in {@link
 * #droppedMessages()}) until its replica is promoted and the link has subscribed again; the node
 * keeps serving its own clients throughout.
 */
public final class ShardedRedisAdapter extends ClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(ShardedRedisAdapter.class);
    /** As the classic adapter: a burst on a loaded machine must not be reported as lost. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final ShardedLink link;
    private final SubscriptionMode mode;
    private final ShardedCodec codec;
    private final String channel;
    private final String responseChannel;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Changed under the room lock (roomCreated/roomDeleted), read by close(): the room channels
    // this node subscribed to.
    private final Set<String> roomChannels = ConcurrentHashMap.newKeySet();

    private ShardedRedisAdapter(Namespace nsp, ShardedLink link, ShardedRedisAdapterOptions options, Runnable onClose) {
        super(nsp, options.requestsTimeout());
        this.link = link;
        this.mode = options.subscriptionMode();
        this.codec = new ShardedCodec(options.channelPrefix(), nsp.name(), mode);
        this.channel = codec.channel();
        this.responseChannel = codec.responseChannel(uid());
        this.onClose = onClose;
    }

    /**
     * A factory for {@code SocketIoOptions.adapterFactory}; it starts connecting now and does not
     * wait for the cluster (see {@link Factory}).
     */
    public static Factory factory(ShardedRedisAdapterOptions options) {
        return new Factory(options);
    }

    /** A factory with the default options for the cluster at {@code uri}. */
    public static Factory factory(String uri) {
        return factory(ShardedRedisAdapterOptions.builder(uri).build());
    }

    @Override
    public void init() {
        super.init();
        link.subscribe(this::receive, channel, responseChannel);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        link.unsubscribe(channel, responseChannel);
        link.unsubscribe(roomChannels.toArray(String[]::new));
        super.close();
        onClose.run();
    }

    // ---- dynamic subscriptions ----

    @Override
    protected void roomCreated(String room) {
        if (separateChannel(room)) {
            String name = codec.roomChannel(room);
            roomChannels.add(name);
            link.subscribe(this::receive, name);
        }
    }

    @Override
    protected void roomDeleted(String room) {
        String name = codec.roomChannel(room);
        // a socket's own room is gone from the socket table by now: go by what was subscribed
        if (roomChannels.remove(name)) {
            link.unsubscribe(name);
        }
    }

    /** Whether this node listens to the room on a channel of its own, as Node decides. */
    private boolean separateChannel(String room) {
        return switch (mode) {
            case STATIC -> false;
            case DYNAMIC -> socketRooms(room).isEmpty();
            case DYNAMIC_PRIVATE -> true;
        };
    }

    // ---- transport ----

    @Override
    protected CompletableFuture<?> doPublish(ClusterMessage message) {
        return link.publish(codec.channelOf(message), codec.encode(message));
    }

    @Override
    protected CompletableFuture<?> doPublishResponse(String requesterUid, ClusterResponse response) {
        return link.publish(codec.responseChannel(requesterUid), codec.encode(uid(), response));
    }

    @Override
    protected CompletableFuture<Integer> fetchServerCount() {
        return link.subscribers(channel);
    }

    /** On a Lettuce I/O thread: hand off at once. */
    private void receive(String from, byte[] payload) {
        execute(() -> handle(from, payload));
    }

    private void handle(String from, byte[] payload) {
        try {
            codec.decode(payload).ifPresent(incoming -> {
                switch (incoming) {
                    case ClusterCodec.Incoming.Message m -> process(m.message());
                    case ClusterCodec.Incoming.Response r -> onResponse(r.response());
                }
            });
        } catch (RuntimeException e) {
            log.debug("ignoring a malformed message on {}: {}", from, e.toString());
        }
    }

    /**
     * Creates one {@link ShardedRedisAdapter} per namespace on a shared pair of cluster
     * connections. It does not need the cluster to be up: it connects in the background and
     * retries, logging each failed attempt at WARN; until then publications are dropped and
     * counted, and subscriptions wait. The connections close when the last adapter closes, or with
     * {@link #close()}.
     */
    public static final class Factory extends SharedLinkFactory<ShardedRedisAdapter> {
        private final ShardedRedisAdapterOptions options;
        private final ShardedLink link;

        private Factory(ShardedRedisAdapterOptions options) {
            super("ShardedRedisAdapter");
            this.options = options;
            this.link = new ShardedLink(
                    options.uris(), options.reconnectMaxDelay(), COMMAND_TIMEOUT, options.topologyRefreshPeriod());
        }

        @Override
        ShardedRedisAdapter newAdapter(Namespace namespace, Runnable onClose) {
            return new ShardedRedisAdapter(namespace, link, options, onClose);
        }

        /** Whether both cluster connections are up now. */
        public boolean connected() {
            return link.connected();
        }

        /** Completes once the cluster was reached the first time. */
        public CompletableFuture<Void> firstConnection() {
            return link.firstConnection();
        }

        /**
         * How many messages this node received from the cluster since it started, all namespaces:
         * in the dynamic modes it shows how much traffic a node was spared.
         */
        public long receivedMessages() {
            return link.receivedMessages();
        }

        /** How many times the subscriptions were renewed after a topology or connection change. */
        public long resubscriptions() {
            return link.resubscriptions();
        }

        @Override
        void closeLink() {
            link.close();
        }
    }
}
