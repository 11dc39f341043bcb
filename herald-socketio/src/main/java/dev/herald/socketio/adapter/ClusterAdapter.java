package dev.herald.socketio.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoException;
import dev.herald.socketio.internal.Mailbox;
import dev.herald.socketio.parser.Packet;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-node protocol of a clustered namespace, independent of the transport, as
 * {@code socket.io-adapter}'s {@code cluster-adapter.ts}.
 *
 * <p>Every operation runs locally through {@link InMemoryAdapter} and, unless its flags say
 * {@code local}, is published to the other nodes as a {@link ClusterMessage}. Operations that need
 * answers ({@link #fetchSockets}, {@link #sockets}, {@link #allRooms}, {@link
 * #serverSideEmitWithAck}, {@link #broadcastWithAck}) wait for one {@link ClusterResponse} per other
 * node, as counted by {@link #fetchServerCount()}, and fail with a {@link SocketIoException} naming
 * how many answers came when the request timeout expires.
 *
 * <p>A transport implements {@link #doPublish}, {@link #doPublishResponse} and {@link
 * #fetchServerCount}, and passes what it receives to {@link #onMessage} and {@link #onResponse},
 * from any thread: both return at once and the work runs on this adapter's own serial executor (a
 * virtual thread), never on the transport's I/O thread, in arrival order.
 *
 * <p>A message that cannot be published is logged (ERROR for the first of a streak of failures)
 * and counted in {@link #droppedMessages()}; the local part of the operation still happens, so a
 * node keeps serving its own clients while the cluster link is down.
 */
public abstract class ClusterAdapter extends InMemoryAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClusterAdapter.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The default of {@code requestsTimeout}, as the reference. */
    public static final Duration DEFAULT_REQUESTS_TIMEOUT = Duration.ofSeconds(5);

    private final String uid = randomId();
    private final Duration requestsTimeout;
    private final Mailbox inbox;

    // Any thread: requests of this node waiting for answers, by request id.
    private final Map<String, PendingRequest> requests = new ConcurrentHashMap<>();
    // Any thread: broadcasts with acks of this node, by request id, until their timeout.
    private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();
    // Any thread.
    private final AtomicLong dropped = new AtomicLong();
    // Any thread: true from a failed publish until the next successful one.
    private final AtomicBoolean failing = new AtomicBoolean();

    /**
     * @param nsp the namespace
     * @param requestsTimeout how long requests to other nodes wait for their answers
     */
    protected ClusterAdapter(Namespace nsp, Duration requestsTimeout) {
        this(nsp, requestsTimeout, true);
    }

    /**
     * @param nsp the namespace
     * @param requestsTimeout how long requests to other nodes wait for their answers
     * @param keepsRecoveryState as {@link InMemoryAdapter#InMemoryAdapter(Namespace, boolean)}: false
     *     for a transport that keeps sessions and packets itself (a Redis stream)
     */
    protected ClusterAdapter(Namespace nsp, Duration requestsTimeout, boolean keepsRecoveryState) {
        super(nsp, keepsRecoveryState);
        this.requestsTimeout = Objects.requireNonNull(requestsTimeout, "requestsTimeout");
        this.inbox = new Mailbox(
                Thread.ofVirtual().name("herald-cluster" + nsp.name() + "-", 0).factory());
    }

    /** This node's id in the cluster, random per adapter. */
    public final String uid() {
        return uid;
    }

    /** How many cluster messages this adapter could not publish since it started. */
    public final long droppedMessages() {
        return dropped.get();
    }

    /** How long requests to other nodes wait for their answers. */
    public final Duration requestsTimeout() {
        return requestsTimeout;
    }

    // ---- transport hooks ----

    /** Sends a message to the other nodes; the future fails if it could not be sent. */
    protected abstract CompletableFuture<?> doPublish(ClusterMessage message);

    /** Sends an answer to the node {@code requesterUid}. */
    protected abstract CompletableFuture<?> doPublishResponse(String requesterUid, ClusterResponse response);

    /** How many nodes serve this namespace, this one included. */
    protected abstract CompletableFuture<Integer> fetchServerCount();

    /** The kind of request of this node that waits for answers under this id, if any. */
    protected final Optional<Class<? extends ClusterMessage>> pendingRequest(String requestId) {
        PendingRequest pending = requests.get(requestId);
        if (pending != null) {
            return Optional.of(pending.kind);
        }
        return ackRequests.containsKey(requestId) ? Optional.of(ClusterMessage.Broadcast.class) : Optional.empty();
    }

    /**
     * Runs a task on this adapter's serial executor, after the messages already handed over: for a
     * transport that wants to decode off its I/O thread.
     */
    protected final void execute(Runnable task) {
        inbox.execute(task);
    }

    /**
     * Applies a message from another node now, on the calling thread: for a transport that
     * already runs on this adapter's executor ({@link #execute}) and must keep its own order.
     */
    protected final void process(ClusterMessage message) {
        handleMessage(message);
    }

    /** Delivers a broadcast to the local sockets only, without publishing it. */
    protected final void broadcastLocally(Packet packet, BroadcastOptions opts) {
        super.broadcast(packet, opts);
    }

    /** Hands a message from another node to this adapter; returns at once. */
    protected final void onMessage(ClusterMessage message) {
        inbox.execute(() -> handleMessage(message));
    }

    /** Hands an answer from another node to this adapter; returns at once. */
    protected final void onResponse(ClusterResponse response) {
        inbox.execute(() -> handleResponse(response));
    }

    // ---- outgoing ----

    @Override
    public void broadcast(Packet packet, BroadcastOptions opts) {
        if (!opts.flags().local()) {
            publish(new ClusterMessage.Broadcast(uid, nsp(), packet, opts, Optional.empty()));
        }
        super.broadcast(packet, opts);
    }

    @Override
    public void broadcastWithAck(
            Packet packet, BroadcastOptions opts, IntConsumer clientCountCallback, Consumer<ArrayNode> ack) {
        if (!opts.flags().local()) {
            String requestId = randomId();
            ackRequests.put(requestId, new AckRequest(clientCountCallback, ack));
            Duration timeout = opts.flags().timeout().orElse(requestsTimeout);
            // No node can tell when every client has answered: forget the request after its timeout.
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .execute(() -> ackRequests.remove(requestId));
            publish(new ClusterMessage.Broadcast(
                    uid, nsp(), packet.withId(Packet.NO_ID), opts, Optional.of(requestId)));
        }
        super.broadcastWithAck(packet, opts, clientCountCallback, ack);
    }

    @Override
    public void addSockets(BroadcastOptions opts, Set<String> rooms) {
        if (!opts.flags().local()) {
            publish(new ClusterMessage.SocketsJoin(uid, nsp(), opts, rooms));
        }
        super.addSockets(opts, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions opts, Set<String> rooms) {
        if (!opts.flags().local()) {
            publish(new ClusterMessage.SocketsLeave(uid, nsp(), opts, rooms));
        }
        super.delSockets(opts, rooms);
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        if (!opts.flags().local()) {
            publish(new ClusterMessage.DisconnectSockets(uid, nsp(), opts, close));
        }
        super.disconnectSockets(opts, close);
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        CompletableFuture<List<SocketDetails>> local = super.fetchSockets(opts);
        if (opts.flags().local()) {
            return local;
        }
        Duration timeout = opts.flags().timeout().orElse(requestsTimeout);
        return local.thenCompose(mine -> request(
                        ClusterMessage.FetchSockets.class,
                        "fetchSockets",
                        timeout,
                        new ArrayList<SocketDetails>(mine),
                        requestId -> new ClusterMessage.FetchSockets(uid, nsp(), opts, requestId)))
                .thenApply(List::copyOf);
    }

    @Override
    public CompletableFuture<Set<String>> sockets(Set<String> rooms) {
        return super.sockets(rooms)
                .thenCompose(mine -> request(
                        ClusterMessage.Sockets.class,
                        "sockets",
                        requestsTimeout,
                        new HashSet<String>(mine),
                        requestId -> new ClusterMessage.Sockets(uid, nsp(), rooms, requestId)))
                .thenApply(Set::copyOf);
    }

    /** Every room with at least one socket, on every node. */
    public CompletableFuture<Set<String>> allRooms() {
        return request(
                        ClusterMessage.AllRooms.class,
                        "allRooms",
                        requestsTimeout,
                        new HashSet<String>(rooms()),
                        requestId -> new ClusterMessage.AllRooms(uid, nsp(), requestId))
                .thenApply(Set::copyOf);
    }

    @Override
    public void serverSideEmit(String event, ArrayNode args) {
        publish(new ClusterMessage.ServerSideEmit(uid, nsp(), event, args, Optional.empty()));
    }

    @Override
    public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(String event, ArrayNode args, Duration timeout) {
        return request(
                        ClusterMessage.ServerSideEmit.class,
                        "serverSideEmit",
                        timeout,
                        new ArrayList<JsonNode>(),
                        requestId -> new ClusterMessage.ServerSideEmit(uid, nsp(), event, args, Optional.of(requestId)))
                .thenApply(List::copyOf);
    }

    /**
     * Asks the transport how many nodes there are; while it cannot tell (the link is down), only
     * this node counts. Blocks for at most the request timeout: call it from a virtual thread.
     */
    @Override
    public int serverCount() {
        try {
            return Math.max(1, fetchServerCount().get(requestsTimeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            log.debug("server count unavailable, counting this node only: {}", e.toString());
            return 1;
        }
    }

    @Override
    public void close() {
        var closed = new SocketIoException("the adapter of " + nsp() + " was closed");
        requests.values().forEach(p -> p.future.completeExceptionally(closed));
        requests.clear();
        ackRequests.clear();
        super.close();
    }

    /**
     * Publishes a request, then collects answers into {@code accumulator} until every other node
     * has answered or the timeout expires.
     */
    private <T> CompletableFuture<T> request(
            Class<? extends ClusterMessage> kind,
            String operation,
            Duration timeout,
            T accumulator,
            Function<String, ClusterMessage> message) {
        return handOff(collect(kind, operation, timeout, accumulator, message));
    }

    /**
     * The same outcome, delivered on a fresh virtual thread: answers complete on the transport's
     * I/O thread or a timer, and the caller's dependent stages must run on neither.
     */
    private static <T> CompletableFuture<T> handOff(CompletableFuture<T> source) {
        var out = new CompletableFuture<T>();
        source.whenComplete((value, error) -> Thread.ofVirtual()
                .name("herald-cluster-result")
                .start(() -> {
                    if (error != null) {
                        out.completeExceptionally(
                                error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
                    } else {
                        out.complete(value);
                    }
                }));
        return out;
    }

    private <T> CompletableFuture<T> collect(
            Class<? extends ClusterMessage> kind,
            String operation,
            Duration timeout,
            T accumulator,
            Function<String, ClusterMessage> message) {
        return fetchServerCount()
                .orTimeout(requestsTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionally(e -> 1)
                .thenCompose(count -> {
                    int expected = count - 1;
                    if (expected <= 0) {
                        return CompletableFuture.completedFuture(accumulator);
                    }
                    String requestId = randomId();
                    var pending = new PendingRequest(kind, operation, expected, accumulator);
                    requests.put(requestId, pending);
                    CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                            .execute(() -> {
                                if (requests.remove(requestId, pending)) {
                                    pending.future.completeExceptionally(pending.timedOut());
                                }
                            });
                    publishRequest(message.apply(requestId), requestId, pending);
                    @SuppressWarnings("unchecked")
                    CompletableFuture<T> future = (CompletableFuture<T>) pending.future;
                    return future;
                });
    }

    private void publishRequest(ClusterMessage message, String requestId, PendingRequest pending) {
        send(() -> doPublish(message)).whenComplete((ok, e) -> {
            if (e != null && requests.remove(requestId, pending)) {
                pending.future.completeExceptionally(new SocketIoException(
                        "could not send the " + pending.operation + " request to the cluster", e));
            }
        });
    }

    /**
     * Publishes a message to the other nodes; a failure is logged and counted in
     * {@link #droppedMessages()}. The future completes with what {@link #doPublish} returned.
     */
    protected final CompletableFuture<?> publish(ClusterMessage message) {
        return send(() -> doPublish(message));
    }

    private void publishResponse(String requesterUid, ClusterResponse response) {
        send(() -> doPublishResponse(requesterUid, response));
    }

    private CompletableFuture<?> send(Supplier<CompletableFuture<?>> publisher) {
        CompletableFuture<?> sent;
        try {
            sent = publisher.get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((ok, e) -> {
            if (e == null) {
                if (failing.compareAndSet(true, false)) {
                    log.warn("cluster publishing on {} works again; {} messages dropped so far", nsp(), dropped.get());
                }
                return;
            }
            long count = dropped.incrementAndGet();
            if (failing.compareAndSet(false, true)) {
                log.error("cannot publish a cluster message on {} ({} dropped so far): {}", nsp(), count, e.toString());
            } else {
                log.debug("cluster message on {} dropped ({} so far): {}", nsp(), count, e.toString());
            }
        });
    }

    // ---- incoming ----

    private void handleMessage(ClusterMessage message) {
        if (uid.equals(message.uid())) {
            return;
        }
        if (!nsp().equals(message.nsp())) {
            return;
        }
        switch (message) {
            case ClusterMessage.Broadcast b
            when b.requestId().isPresent() -> {
                String requestId = b.requestId().get();
                super.broadcastWithAck(
                        b.packet().withId(Packet.NO_ID),
                        b.opts(),
                        count -> publishResponse(b.uid(), new ClusterResponse.BroadcastClientCount(requestId, count)),
                        args -> publishResponse(b.uid(), new ClusterResponse.BroadcastAck(requestId, args)));
            }
            case ClusterMessage.Broadcast b -> super.broadcast(b.packet(), b.opts());
            case ClusterMessage.SocketsJoin j -> super.addSockets(j.opts(), j.rooms());
            case ClusterMessage.SocketsLeave l -> super.delSockets(l.opts(), l.rooms());
            case ClusterMessage.DisconnectSockets d -> super.disconnectSockets(d.opts(), d.close());
            case ClusterMessage.FetchSockets f ->
                super.fetchSockets(f.opts())
                        .thenAccept(sockets ->
                                publishResponse(f.uid(), new ClusterResponse.FetchSockets(f.requestId(), sockets)));
            case ClusterMessage.Sockets s ->
                super.sockets(s.rooms())
                        .thenAccept(ids -> publishResponse(s.uid(), new ClusterResponse.Sockets(s.requestId(), ids)));
            case ClusterMessage.AllRooms a ->
                publishResponse(a.uid(), new ClusterResponse.AllRooms(a.requestId(), rooms()));
            case ClusterMessage.ServerSideEmit e -> {
                Optional<Consumer<JsonNode>> ack = e.requestId().map(requestId -> {
                    var called = new AtomicBoolean();
                    return reply -> {
                        // only one answer per node, as the reference
                        if (called.compareAndSet(false, true)) {
                            publishResponse(
                                    e.uid(),
                                    new ClusterResponse.ServerSideEmit(
                                            requestId, reply == null ? NODES.nullNode() : reply));
                        }
                    };
                });
                onServerSideEmit(e.event(), e.args(), ack);
            }
        }
    }

    private void handleResponse(ClusterResponse response) {
        String requestId = response.requestId();
        switch (response) {
            case ClusterResponse.BroadcastClientCount c -> {
                AckRequest request = ackRequests.get(requestId);
                if (request != null) {
                    request.clientCountCallback.accept(c.clientCount());
                }
            }
            case ClusterResponse.BroadcastAck a -> {
                AckRequest request = ackRequests.get(requestId);
                if (request != null) {
                    request.ack.accept(a.args());
                }
            }
            default -> {
                PendingRequest pending = requests.get(requestId);
                if (pending != null && pending.add(response)) {
                    requests.remove(requestId, pending);
                }
            }
        }
    }

    private String nsp() {
        return namespace().name();
    }

    private static String randomId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A broadcast with acks of this node, waiting for other nodes' counts and acks. */
    private record AckRequest(IntConsumer clientCountCallback, Consumer<ArrayNode> ack) {}
}
