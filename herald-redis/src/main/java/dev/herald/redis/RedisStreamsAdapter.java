package dev.herald.redis;

import dev.herald.redis.internal.ClusterCodec;
import dev.herald.redis.internal.RedisLink;
import dev.herald.redis.internal.StreamCodec;
import dev.herald.socketio.ConnectionStateRecovery;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.RecoveryFailure;
import dev.herald.socketio.adapter.AdapterFactory;
import dev.herald.socketio.adapter.Admission;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.adapter.ClusterAdapter;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import dev.herald.socketio.adapter.PersistedSession;
import dev.herald.socketio.adapter.SessionRestore;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.parser.Packet;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClusterAdapter} over a Redis stream, wire-compatible with
 * {@code @socket.io/redis-streams-adapter} 0.3: broadcasts, joins, leaves and disconnects are
 * entries of one stream that every node reads; requests and answers go over pub/sub; sessions are
 * keys {@code sio:session:<pid>}. Herald and Node nodes can share one stream, and a session kept
 * by one can be resumed on the other.
 *
 * <pre>{@code
 * var io = SocketIoServer.create(SocketIoOptions.builder()
 *         .connectionStateRecovery(Duration.ofMinutes(2), true)
 *         .adapterFactory(RedisStreamsAdapter.factory("redis://127.0.0.1:6379"))
 *         .build());
 * }</pre>
 *
 * <p><b>Offsets.</b> With connection state recovery on, the offset of a recoverable broadcast is
 * its stream entry id, and every node, the publishing one included, delivers it locally as its
 * reader reaches the entry. Node's adapter delivers its own broadcasts as soon as {@code XADD}
 * answers, which lets a client get a later entry before an earlier one from another node; its
 * offset then points behind what it got, and a later recovery replays duplicates. Delivering in
 * stream order costs one read round trip and keeps every client's offsets increasing. A
 * broadcast that cannot be added to the stream (Redis down) is delivered locally at once, without
 * offset.
 *
 * <p><b>Admission guarantee.</b> Every local delivery of a recoverable broadcast and every
 * admission of a connecting socket runs on this adapter's serial executor, in stream order. An
 * admission reads the entries after the client's offset up to the newest one this node has
 * applied ({@code XRANGE}), keeps those whose rooms reach the session's, and joins the rooms in
 * the same step. Each recoverable broadcast of the namespace therefore reaches a resumed socket
 * exactly once and in stream order: in the replay if the node had applied it, live otherwise.
 *
 * <p><b>Sessions outlive the node.</b> Node's adapter writes a session only when its server sees
 * the disconnect, so the clients of a node that crashes cannot recover. This adapter writes the
 * session of every connected socket (rooms, {@code data()}, start offset) when it is admitted and
 * at each join and leave, and rewrites all of them every quarter of the window (1 s to 30 s),
 * which is also how changes of {@code data()} reach Redis. Live sessions expire after the window
 * plus that period, so a session outlives a {@code kill -9} of its node by at least the window. A
 * socket that leaves on purpose deletes its key.
 *
 * <p>Redis down: the local clients are still served (a recoverable broadcast that could not be
 * added to the stream goes out without offset), failed publications are counted in {@link
 * #droppedMessages()}, and the reader and the connections retry with back-off.
 */
public final class RedisStreamsAdapter extends ClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(RedisStreamsAdapter.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern OFFSET = Pattern.compile("[0-9]+-[0-9]+");
    private static final Executor OFF_IO =
            task -> Thread.ofVirtual().name("herald-streams").start(task);

    private final RedisLink link;
    private final RedisStreamsAdapterOptions options;
    private final StreamCodec codec;
    private final String publicChannel;
    private final String privateChannel;
    private final Optional<ConnectionStateRecovery> recovery;
    private final Runnable onClose;
    private final ScheduledExecutorService timer;

    // Owned by this adapter's serial executor: the newest entry of this namespace applied here
    // (the stream's newest when the node started).
    private StreamEntryId appliedThrough;

    // Present when connection state recovery is on.
    private final Optional<StreamSessions> sessions;
    // Set by init(), cancelled by close().
    private volatile ScheduledFuture<?> refresher;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisStreamsAdapter(
            Namespace nsp,
            RedisLink link,
            RedisStreamsAdapterOptions options,
            StreamEntryId start,
            ScheduledExecutorService timer,
            Runnable onClose) {
        super(nsp, options.requestsTimeout(), false);
        this.link = link;
        this.options = options;
        this.codec = new StreamCodec(nsp.name());
        this.publicChannel = options.channelPrefix() + "#" + nsp.name() + "#";
        this.privateChannel = publicChannel + uid() + "#";
        this.recovery = nsp.server().options().connectionStateRecovery();
        this.sessions = recovery.map(
                r -> new StreamSessions(link, options.sessionKeyPrefix(), nsp.name(), r.maxDisconnectionDuration()));
        this.appliedThrough = start;
        this.timer = timer;
        this.onClose = onClose;
    }

    /**
     * A factory for {@code SocketIoOptions.adapterFactory}, connected to Redis now; while Redis
     * cannot be reached it waits and tries again, as {@link RedisAdapter#factory(RedisAdapterOptions)}.
     */
    public static Factory factory(RedisStreamsAdapterOptions options) {
        return new Factory(options);
    }

    /** A factory with the default options for the Redis server at {@code uri}. */
    public static Factory factory(String uri) {
        return factory(RedisStreamsAdapterOptions.builder(uri).build());
    }

    @Override
    public void init() {
        super.init();
        link.subscribeChannels(this::receive, publicChannel, privateChannel);
        sessions.ifPresent(store -> {
            long period = store.refreshPeriod().toMillis();
            refresher = timer.scheduleAtFixedRate(
                    () -> store.refresh(this::liveSession), period, period, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> r = refresher;
        if (r != null) {
            r.cancel(false);
        }
        link.unsubscribeChannels(publicChannel, privateChannel);
        super.close();
        onClose.run();
    }

    /** Session writes to Redis that failed (Redis unreachable); the next refresh repairs them. */
    public long sessionWritesFailed() {
        return sessions.map(StreamSessions::writesFailed).orElse(0L);
    }

    // ---------------------------------------------------------------- cluster transport

    @Override
    protected CompletableFuture<?> doPublish(ClusterMessage message) {
        if (StreamCodec.ephemeral(message)) {
            return link.publish(publicChannel, codec.pubSub(message));
        }
        return link.xadd(options.streamName(), options.maxLen(), codec.entry(message));
    }

    @Override
    protected CompletableFuture<?> doPublishResponse(String requesterUid, ClusterResponse response) {
        return link.publish(
                options.channelPrefix() + "#" + namespace().name() + "#" + requesterUid + "#",
                codec.response(uid(), response));
    }

    @Override
    protected CompletableFuture<Integer> fetchServerCount() {
        return link.subscribers(publicChannel);
    }

    /** On a Lettuce I/O thread: hand off at once. */
    private void receive(String channel, byte[] payload) {
        execute(() -> {
            try {
                codec.decodePubSub(payload).ifPresent(in -> {
                    switch (in) {
                        case ClusterCodec.Incoming.Message m -> process(m.message());
                        case ClusterCodec.Incoming.Response r -> onResponse(r.response());
                    }
                });
            } catch (RuntimeException e) {
                log.debug("ignoring a malformed message on {}: {}", channel, e.toString());
            }
        });
    }

    /** An entry of this namespace from the stream reader, in stream order. */
    void onEntry(String id, Map<String, byte[]> fields) {
        execute(() -> apply(id, fields));
    }

    private void apply(String id, Map<String, byte[]> fields) {
        StreamEntryId entryId = StreamEntryId.parse(id);
        if (entryId.compareTo(appliedThrough) > 0) {
            appliedThrough = entryId;
        }
        try {
            var incoming = codec.decodeEntry(fields);
            if (incoming.isEmpty() || !(incoming.get() instanceof ClusterCodec.Incoming.Message(var message))) {
                return;
            }
            if (message instanceof ClusterMessage.Broadcast b && b.requestId().isEmpty() && recoverable(b)) {
                broadcastLocally(StreamCodec.withOffset(b.packet(), id), b.opts());
                return;
            }
            process(message);
        } catch (RuntimeException e) {
            log.debug("ignoring a malformed stream entry {}: {}", id, e.toString());
        }
    }

    private boolean recoverable(ClusterMessage.Broadcast b) {
        return recovery.isPresent() && isRecoverable(b.packet(), b.opts());
    }

    // ---------------------------------------------------------------- broadcasts

    @Override
    public void broadcast(Packet packet, BroadcastOptions opts) {
        if (opts.flags().local() || recovery.isEmpty() || !isRecoverable(packet, opts)) {
            super.broadcast(packet, opts);
            return;
        }
        publish(new ClusterMessage.Broadcast(uid(), namespace().name(), packet, opts, Optional.empty()))
                .whenComplete((id, e) -> {
                    if (e != null) {
                        // counted as dropped by publish(); the local clients are still served
                        execute(() -> broadcastLocally(packet, opts));
                    }
                });
    }

    @Override
    public CompletableFuture<Set<String>> sockets(Set<String> rooms) {
        // the reference protocol has no such request: ask for the sockets themselves
        return fetchSockets(BroadcastOptions.rooms(rooms))
                .thenApply(
                        list -> Set.copyOf(list.stream().map(SocketDetails::id).toList()));
    }

    @Override
    public CompletableFuture<Set<String>> allRooms() {
        return fetchSockets(BroadcastOptions.ALL).thenApply(list -> {
            var rooms = new LinkedHashSet<String>();
            list.forEach(s -> rooms.addAll(s.rooms()));
            return Set.copyOf(rooms);
        });
    }

    // ---------------------------------------------------------------- connection state recovery

    /**
     * Admits a socket on this adapter's serial executor, between two stream entries (see the class
     * comment for the guarantee). Blocks the calling (virtual) thread until the greeting is written.
     */
    @Override
    public void admit(
            String socketId,
            Set<String> rooms,
            Optional<SessionRestore.Restored> restored,
            Consumer<Admission> greeting) {
        if (recovery.isEmpty()) {
            super.admit(socketId, rooms, restored, greeting);
            return;
        }
        var done = new CompletableFuture<Void>();
        execute(() -> {
            try {
                List<Packet> missed = restored.map(
                                r -> missed(r.replayFrom(), r.session().rooms()))
                        .orElse(List.of());
                addAll(socketId, rooms);
                Optional<String> start = restored.isPresent()
                        ? restored.get().session().startOffset()
                        : appliedThrough.equals(StreamEntryId.ZERO)
                                ? Optional.empty()
                                : Optional.of(appliedThrough.toString());
                greeting.accept(new Admission(missed, start));
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.join();
        writeSession(socketId);
    }

    /** On the executor: what a session in these rooms missed after the offset, in stream order. */
    private List<Packet> missed(Optional<String> after, Set<String> rooms) {
        StreamEntryId from = after.map(StreamEntryId::parse).orElse(StreamEntryId.ZERO);
        var out = new ArrayList<Packet>();
        if (from.compareTo(appliedThrough) < 0) {
            List<StreamMessage<String, byte[]>> entries;
            try {
                entries = link.xrange(options.streamName(), from.next().toString(), appliedThrough.toString())
                        .get(options.requestsTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn(
                        "cannot read the missed packets from the stream, nsp={}: {}",
                        namespace().name(),
                        e.toString());
                entries = List.of();
            }
            for (var entry : entries) {
                try {
                    codec.decodeEntry(entry.getBody()).ifPresent(in -> {
                        if (in instanceof ClusterCodec.Incoming.Message(ClusterMessage.Broadcast b)
                                && b.requestId().isEmpty()
                                && recoverable(b)
                                && b.opts().reaches(rooms)) {
                            out.add(StreamCodec.withOffset(b.packet(), entry.getId()));
                        }
                    });
                } catch (RuntimeException e) {
                    log.debug("skipping a malformed stream entry {}: {}", entry.getId(), e.toString());
                }
            }
        }
        return out;
    }

    @Override
    public void persistSession(PersistedSession session) {
        sessions.orElseThrow().persist(session);
    }

    @Override
    public CompletableFuture<SessionRestore> restoreSession(String pid, Optional<String> offset) {
        if (offset.isPresent() && !OFFSET.matcher(offset.get()).matches()) {
            return CompletableFuture.completedFuture(SessionRestore.failed(RecoveryFailure.UNKNOWN_OFFSET));
        }
        return link.getdel(options.sessionKeyPrefix() + pid)
                .thenCompose(stored -> {
                    if (stored.isEmpty()) {
                        return CompletableFuture.completedFuture(
                                SessionRestore.failed(RecoveryFailure.UNKNOWN_SESSION));
                    }
                    PersistedSession session = StreamCodec.session(stored.get());
                    Optional<String> from = offset.isPresent()
                            ? offset
                            : session.startOffset()
                                    .filter(o -> OFFSET.matcher(o).matches());
                    if (from.isEmpty()) {
                        // the stream was empty when the session began: everything in it is after
                        return CompletableFuture.completedFuture(
                                new SessionRestore.Restored(session, Optional.empty()));
                    }
                    // as the reference: the offset's own entry must still be there, or packets were trimmed
                    return link.xrange(options.streamName(), from.get(), from.get())
                            .thenApply(found -> found.isEmpty()
                                    ? SessionRestore.failed(RecoveryFailure.PACKETS_LOST)
                                    : (SessionRestore) new SessionRestore.Restored(session, from));
                })
                .thenApplyAsync(r -> r, OFF_IO);
    }

    // ---------------------------------------------------------------- live sessions

    @Override
    public void addAll(String socketId, Set<String> rooms) {
        super.addAll(socketId, rooms);
        writeSession(socketId);
    }

    @Override
    public void del(String socketId, String room) {
        super.del(socketId, room);
        writeSession(socketId);
    }

    @Override
    public void delAll(String socketId) {
        super.delAll(socketId);
        sessions.ifPresent(store -> store.left(socketId));
    }

    private void writeSession(String socketId) {
        sessions.ifPresent(store -> store.live(socketId, this::liveSession));
    }

    /**
     * Creates one {@link RedisStreamsAdapter} per namespace; they share the Redis connections and
     * one reader of the stream. The connections close when the last adapter closes, or with
     * {@link #close()}.
     */
    public static final class Factory implements AdapterFactory, AutoCloseable {
        private final RedisStreamsAdapterOptions options;
        private final RedisLink link;
        private final StreamEntryId start;
        // One daemon thread that only issues the periodic session rewrites (asynchronous commands).
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("herald-streams-sessions").factory());
        // Any thread: the adapter of each namespace, for the reader to route entries.
        private final Map<String, RedisStreamsAdapter> adapters = new ConcurrentHashMap<>();
        private final StreamReader reader;
        // Guarded by `this`.
        private int open;
        private volatile boolean closed;

        private Factory(RedisStreamsAdapterOptions options) {
            this.options = options;
            this.link = new RedisLink(
                    options.uri(), options.reconnectMaxDelay(), COMMAND_TIMEOUT, options.trustedCertificates());
            try {
                // where this node starts reading: entries before it were never delivered here
                this.start = link.newestId(options.streamName())
                        .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .map(StreamEntryId::parse)
                        .orElse(StreamEntryId.ZERO);
            } catch (Exception e) {
                timer.shutdownNow();
                link.close();
                throw new IllegalStateException("cannot read the stream " + options.streamName(), e);
            }
            this.reader = new StreamReader(link, options, start, adapters::get, () -> closed);
            reader.read();
        }

        @Override
        public synchronized RedisStreamsAdapter create(Namespace namespace) {
            if (closed) {
                throw new IllegalStateException("this RedisStreamsAdapter factory is closed");
            }
            open++;
            var adapter = new RedisStreamsAdapter(namespace, link, options, start, timer, this::adapterClosed);
            adapters.put(namespace.name(), adapter);
            return adapter;
        }

        /** How many cluster messages the adapters of this factory could not publish, in total. */
        public long droppedMessages() {
            return adapters.values().stream()
                    .mapToLong(ClusterAdapter::droppedMessages)
                    .sum();
        }

        /** Whether the Redis connections are up now. */
        public boolean connected() {
            return link.connected() && link.readerConnected();
        }

        private synchronized void adapterClosed() {
            if (open > 0 && --open == 0) {
                close();
            }
        }

        /** Stops reading and closes the Redis connections. */
        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                timer.shutdownNow();
                link.close();
            }
        }
    }
}
