package dev.herald.socketio.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.engineio.Message;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.RecoveryFailure;
import dev.herald.socketio.Socket;
import dev.herald.socketio.internal.SocketIoAccess;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The single-node {@link Adapter}: rooms in memory, broadcasts encoded once and written to every
 * local recipient. Cluster adapters extend it and call {@code super} for the local part.
 *
 * <p>Threading: room maps are concurrent; a join or leave is atomic with respect to other joins
 * and leaves of the same adapter (one short lock), broadcasts read the maps without locking and
 * see a consistent-enough view: a socket joining while a broadcast runs may or may not get it, as
 * in the reference.
 */
public class InMemoryAdapter implements Adapter {

    private static final SocketIoAccess ACCESS = SocketIoAccess.get();

    private final Namespace nsp;
    // Set at construction when connection state recovery is on; its lock orders recoverable
    // broadcasts against admissions (see admit).
    private final RecoveryStore recovery;
    // Set by init(), cancelled by close().
    private volatile ScheduledFuture<?> sweeper;

    // Any thread; mutations under `this`, reads lock-free.
    private final Map<String, Set<String>> rooms = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> sids = new ConcurrentHashMap<>();

    /** The adapter of one namespace. */
    public InMemoryAdapter(Namespace nsp) {
        this(nsp, true);
    }

    /**
     * The adapter of one namespace.
     *
     * @param keepsRecoveryState whether this adapter keeps sessions and packets for connection
     *     state recovery in memory (when recovery is on); false for an adapter that keeps them
     *     elsewhere (a Redis stream) and overrides {@link #admit}, {@link #persistSession} and
     *     {@link #restoreSession}
     */
    protected InMemoryAdapter(Namespace nsp, boolean keepsRecoveryState) {
        this.nsp = Objects.requireNonNull(nsp, "nsp");
        this.recovery = !keepsRecoveryState
                ? null
                : nsp.server()
                        .options()
                        .connectionStateRecovery()
                        .map(c -> new RecoveryStore(c, System::nanoTime))
                        .orElse(null);
    }

    @Override
    public void init() {
        RecoveryStore store = recovery;
        if (store != null) {
            // Restores check the window themselves; the sweep only returns the memory.
            long period = Math.clamp(
                    store.config().maxDisconnectionDuration().toNanos() / 2,
                    TimeUnit.MILLISECONDS.toNanos(100),
                    TimeUnit.SECONDS.toNanos(60));
            sweeper = ACCESS.scheduler(nsp.server())
                    .scheduleAtFixedRate(store::sweep, period, period, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        ScheduledFuture<?> s = sweeper;
        if (s != null) {
            s.cancel(false);
        }
    }

    /** The namespace this adapter serves. */
    protected final Namespace namespace() {
        return nsp;
    }

    @Override
    public synchronized void addAll(String socketId, Set<String> roomsToJoin) {
        sids.putIfAbsent(socketId, Set.of());
        boolean observed = ACCESS.observed(nsp);
        for (String room : roomsToJoin) {
            Set<String> own = sids.get(socketId);
            // Asked before with(): a large set changes in place.
            boolean isNew = observed && !own.contains(room);
            sids.put(socketId, with(own, room));
            Set<String> members = rooms.get(room);
            rooms.put(room, with(members, socketId));
            if (members == null) {
                roomCreated(room);
            }
            if (isNew) {
                ACCESS.roomJoined(nsp, room, socketId);
            }
        }
    }

    @Override
    public synchronized void del(String socketId, String room) {
        Set<String> own = sids.get(socketId);
        if (own != null) {
            // An emptied set stays: the socket is still known until delAll, as before.
            Set<String> left = without(own, room);
            sids.put(socketId, left == null ? Set.of() : left);
        }
        if (removeFromRoom(socketId, room) && ACCESS.observed(nsp)) {
            ACCESS.roomLeft(nsp, room, socketId);
        }
    }

    @Override
    public synchronized void delAll(String socketId) {
        Set<String> own = sids.remove(socketId);
        if (own == null) {
            return;
        }
        boolean observed = ACCESS.observed(nsp);
        for (String room : own) {
            if (removeFromRoom(socketId, room) && observed) {
                ACCESS.roomLeft(nsp, room, socketId);
            }
        }
    }

    /** Takes the socket out of the room; whether it was in it. */
    private boolean removeFromRoom(String socketId, String room) {
        Set<String> members = rooms.get(room);
        if (members == null || !members.contains(socketId)) {
            return false;
        }
        Set<String> left = without(members, socketId);
        if (left == null) {
            rooms.remove(room);
            roomDeleted(room);
        } else if (left != members) {
            rooms.put(room, left);
        }
        return true;
    }

    /**
     * Called when a room gets its first local member, under this adapter's room lock (so calls
     * for one room come in order): for a cluster transport that subscribes per room, as
     * {@code socket.io-adapter}'s {@code create-room} event. Must return at once.
     */
    protected void roomCreated(String room) {}

    /** Called when a room loses its last local member; as {@link #roomCreated}. */
    protected void roomDeleted(String room) {}

    /*
     * Room sets, under the lock. Most sets hold one member (every socket's personal room, and the
     * socket's own set of rooms), so a set starts as an immutable one, replaced on each change:
     * ~20 bytes instead of ~200 for a concurrent set. Past SMALL members it becomes a concurrent
     * set changed in place. Readers, lock-free, iterate either kind safely.
     */
    private static final int SMALL = 4;

    private static Set<String> with(Set<String> set, String member) {
        if (set == null) {
            return Set.of(member);
        }
        if (set.contains(member)) {
            return set;
        }
        if (set instanceof ConcurrentHashMap.KeySetView<String, ?>) {
            set.add(member);
            return set;
        }
        String[] members = set.toArray(new String[set.size() + 1]);
        members[members.length - 1] = member;
        if (members.length <= SMALL) {
            return Set.of(members);
        }
        Set<String> grown = ConcurrentHashMap.newKeySet();
        grown.addAll(Arrays.asList(members));
        return grown;
    }

    /** The set without the member: the same set, a smaller copy, or null when none is left. */
    private static Set<String> without(Set<String> set, String member) {
        if (!set.contains(member)) {
            return set;
        }
        if (set instanceof ConcurrentHashMap.KeySetView<String, ?>) {
            set.remove(member);
            return set.isEmpty() ? null : set;
        }
        if (set.size() == 1) {
            return null;
        }
        Set<String> copy = new HashSet<>(set);
        copy.remove(member);
        return Set.copyOf(copy);
    }

    @Override
    public void broadcast(Packet packet, BroadcastOptions opts) {
        RecoveryStore store = recovery;
        if (store != null && isRecoverable(packet, opts)) {
            // Kept and delivered in one step: an admission sees it either in the log or live.
            synchronized (store) {
                ArrayNode data = store.keep((ArrayNode) packet.data(), opts);
                deliver(new Packet(packet.type(), packet.nsp(), data, packet.id()), opts);
            }
            return;
        }
        deliver(packet, opts);
    }

    /** As socket.io: events without ack id that are not volatile (their acks could not be replayed). */
    protected static boolean isRecoverable(Packet packet, BroadcastOptions opts) {
        return (packet.type() == PacketType.EVENT || packet.type() == PacketType.BINARY_EVENT)
                && !packet.hasId()
                && !opts.flags().volatileFlag()
                && packet.data() instanceof ArrayNode;
    }

    private void deliver(Packet packet, BroadcastOptions opts) {
        List<Message> encoded = encode(packet, opts);
        apply(opts, socket -> {
            ACCESS.notifyOutgoing(socket, packet);
            ACCESS.write(socket, encoded, opts.flags());
        });
    }

    @Override
    public void broadcastWithAck(
            Packet packet, BroadcastOptions opts, IntConsumer clientCountCallback, Consumer<ArrayNode> ack) {
        // Always a local id, as the reference: a packet relayed from another node carries that node's id.
        Packet withId = packet.withId(ACCESS.nextAckId(nsp));
        List<Message> encoded = encode(withId, opts);
        int[] count = {0};
        apply(opts, socket -> {
            count[0]++;
            ACCESS.expectBroadcastAck(socket, withId.id(), ack, opts.flags().timeout());
            ACCESS.notifyOutgoing(socket, withId);
            ACCESS.write(socket, encoded, opts.flags());
        });
        clientCountCallback.accept(count[0]);
    }

    /** Encoded once for every recipient, with the broadcast's {@code compress} flag on each message. */
    private List<Message> encode(Packet packet, BroadcastOptions opts) {
        return SocketIoAccess.compressed(
                nsp.server().options().parser().encode(packet), opts.flags().compress());
    }

    @Override
    public CompletableFuture<Set<String>> sockets(Set<String> roomFilter) {
        Set<String> out = new HashSet<>();
        apply(BroadcastOptions.rooms(roomFilter), s -> out.add(s.id()));
        return CompletableFuture.completedFuture(Set.copyOf(out));
    }

    @Override
    public Optional<Set<String>> socketRooms(String socketId) {
        Set<String> own = sids.get(socketId);
        return own == null ? Optional.empty() : Optional.of(Set.copyOf(own));
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        List<SocketDetails> out = new ArrayList<>();
        apply(opts, s -> out.add(ACCESS.details(s)));
        return CompletableFuture.completedFuture(List.copyOf(out));
    }

    @Override
    public void addSockets(BroadcastOptions opts, Set<String> roomsToJoin) {
        apply(opts, s -> s.join(roomsToJoin));
    }

    @Override
    public void delSockets(BroadcastOptions opts, Set<String> roomsToLeave) {
        apply(opts, s -> roomsToLeave.forEach(s::leave));
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        apply(opts, s -> s.disconnect(close));
    }

    @Override
    public void serverSideEmit(String event, ArrayNode args) {
        throw new UnsupportedOperationException("this adapter does not support the serverSideEmit() functionality");
    }

    @Override
    public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(String event, ArrayNode args, Duration timeout) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("this adapter does not support the serverSideEmit() functionality"));
    }

    @Override
    public Set<String> rooms() {
        return Set.copyOf(rooms.keySet());
    }

    @Override
    public void admit(
            String socketId,
            Set<String> roomsToJoin,
            Optional<SessionRestore.Restored> restored,
            Consumer<Admission> greeting) {
        RecoveryStore store = recovery;
        if (store == null) {
            addAll(socketId, roomsToJoin);
            greeting.accept(Admission.FRESH);
            return;
        }
        synchronized (store) {
            List<Packet> missed = new ArrayList<>();
            restored.ifPresent(r -> {
                for (ArrayNode data : store.missed(r.replayFrom(), r.session().rooms())) {
                    missed.add(new Packet(PacketType.EVENT, nsp.name(), data));
                }
            });
            addAll(socketId, roomsToJoin);
            greeting.accept(new Admission(
                    missed, restored.isPresent() ? restored.get().session().startOffset() : store.newestOffset()));
        }
    }

    @Override
    public void persistSession(PersistedSession session) {
        RecoveryStore store = recovery;
        if (store != null) {
            store.persist(session);
        }
    }

    @Override
    public CompletableFuture<SessionRestore> restoreSession(String pid, Optional<String> offset) {
        RecoveryStore store = recovery;
        return CompletableFuture.completedFuture(
                store == null ? SessionRestore.failed(RecoveryFailure.NOT_SUPPORTED) : store.restore(pid, offset));
    }

    /**
     * Recoverable packets this namespace dropped because of the {@code maxPackets} cap while they
     * were still inside the window; a client that missed one of them gets a fresh session.
     */
    public long recoveryPacketsDropped() {
        RecoveryStore store = recovery;
        return store == null ? 0 : store.droppedByCap();
    }

    /** How many disconnected sessions this node keeps for recovery now (0 when recovery is off). */
    public int recoverySessionCount() {
        RecoveryStore store = recovery;
        return store == null ? 0 : store.sessionCount();
    }

    /** How many packets this node keeps for recovery now (0 when recovery is off). */
    public int recoveryPacketCount() {
        RecoveryStore store = recovery;
        return store == null ? 0 : store.packetCount();
    }

    /**
     * The session a local socket would leave behind if its connection dropped now (its rooms,
     * {@link Socket#data()} and start offset as they are), for an adapter that keeps sessions up to
     * date in a store that outlives this node. Empty when the socket is not connected here or
     * connection state recovery is off.
     */
    protected final Optional<PersistedSession> liveSession(String socketId) {
        return ACCESS.localSocket(nsp, socketId).flatMap(ACCESS::session);
    }

    /**
     * Runs the action for every local socket matching the options. A cluster adapter uses it to
     * serve requests from other nodes.
     */
    protected void apply(BroadcastOptions opts, Consumer<Socket> action) {
        Set<String> excluded = computeExceptSids(opts.except());
        if (!opts.rooms().isEmpty()) {
            Set<String> seen = new HashSet<>();
            for (String room : opts.rooms()) {
                Set<String> members = rooms.get(room);
                if (members == null) {
                    continue;
                }
                for (String id : members) {
                    if (excluded.contains(id) || !seen.add(id)) {
                        continue;
                    }
                    ACCESS.localSocket(nsp, id).ifPresent(action);
                }
            }
        } else {
            for (String id : sids.keySet()) {
                if (!excluded.contains(id)) {
                    ACCESS.localSocket(nsp, id).ifPresent(action);
                }
            }
        }
    }

    private Set<String> computeExceptSids(Set<String> except) {
        if (except.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        for (String room : except) {
            Set<String> members = rooms.get(room);
            if (members != null) {
                out.addAll(members);
            }
        }
        return out;
    }

    /**
     * Delivers a server-side event that came from another node to this namespace's
     * {@code onServerSideEmit} listeners, on a virtual thread.
     *
     * @param ack receives this node's answer when the sender asked for one
     */
    protected void onServerSideEmit(String event, ArrayNode args, Optional<Consumer<JsonNode>> ack) {
        ACCESS.deliverServerSideEmit(nsp, event, args, ack);
    }
}
