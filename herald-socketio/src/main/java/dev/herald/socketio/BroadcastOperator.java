package dev.herald.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.adapter.Adapter;
import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.internal.Json;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A broadcast being described: which rooms, which exclusions, which flags. Immutable: each
 * {@code to}, {@code except} or flag returns a new operator, so one can be kept and reused.
 *
 * <p>{@code emit} builds one packet, which the {@link Adapter} encodes once; every recipient is
 * handed the same {@link dev.herald.engineio.Message} instances.
 */
public final class BroadcastOperator {

    private final Namespace nsp;
    private final Set<String> rooms;
    private final Set<String> except;
    private final BroadcastFlags flags;

    BroadcastOperator(Namespace nsp, Set<String> rooms, Set<String> except, BroadcastFlags flags) {
        this.nsp = nsp;
        this.rooms = Set.copyOf(rooms);
        this.except = Set.copyOf(except);
        this.flags = flags;
    }

    /** Targets the sockets in these rooms too (union with earlier {@code to}). */
    public BroadcastOperator to(String... rooms) {
        Set<String> union = new HashSet<>(this.rooms);
        union.addAll(checked(rooms));
        return new BroadcastOperator(nsp, union, except, flags);
    }

    /** Same as {@link #to}. */
    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** Excludes the sockets in these rooms. */
    public BroadcastOperator except(String... rooms) {
        Set<String> union = new HashSet<>(this.except);
        union.addAll(checked(rooms));
        return new BroadcastOperator(nsp, this.rooms, union, flags);
    }

    /** The packet may be dropped for clients that cannot take it now (JS {@code volatile}). */
    public BroadcastOperator asVolatile() {
        return new BroadcastOperator(nsp, rooms, except, flags.withVolatile(true));
    }

    /**
     * Whether the transport may compress the packet (JS {@code compress}); true by default. With
     * false the packet goes uncompressed even where compression is on: over WebSocket its frame is
     * never deflated, and a polling answer holding only such packets is not gzipped. The flag
     * travels to the other nodes of a cluster.
     */
    public BroadcastOperator compress(boolean compress) {
        return new BroadcastOperator(nsp, rooms, except, flags.withCompress(compress));
    }

    /** Only the sockets of this node, even with a cluster adapter. */
    public BroadcastOperator local() {
        return new BroadcastOperator(nsp, rooms, except, flags.withLocal(true));
    }

    /** The time {@link #emitWithAck} waits for acks. */
    public BroadcastOperator timeout(Duration timeout) {
        return new BroadcastOperator(nsp, rooms, except, flags.withTimeout(Objects.requireNonNull(timeout, "timeout")));
    }

    /** The options this operator stands for. */
    public BroadcastOptions options() {
        return new BroadcastOptions(rooms, except, flags);
    }

    /**
     * Emits to every matching socket. Returns at once.
     *
     * @throws IllegalArgumentException if the event name is reserved
     */
    public void emit(String event, Object... args) {
        ReservedEvents.check(event);
        ArrayNode data = Json.arrayOf(event, args);
        for (Namespace target : targets()) {
            target.adapter().broadcast(new Packet(PacketType.EVENT, target.name(), data), options());
        }
    }

    /** Emits the {@code message} event. */
    public void send(Object... args) {
        emit("message", args);
    }

    /**
     * Emits and collects every recipient's ack. Completes (on a virtual thread) when all have
     * answered, or fails with {@link AckTimeoutException} after {@link #timeout} (or the server's
     * {@code ackTimeout} when none was given; one of them is required) if some did not; the
     * exception carries the acks that came ({@link AckTimeoutException#responses()}) and how many
     * did not ({@link AckTimeoutException#missing()}, and which of this node's sockets:
     * {@link AckTimeoutException#missingSocketIds()}).
     */
    public CompletableFuture<List<EventArgs>> emitWithAck(String event, Object... args) {
        ReservedEvents.check(event);
        Duration timeout = flags.timeout()
                .or(() -> nsp.server().options().ackTimeout())
                .orElseThrow(() -> new IllegalStateException(
                        "emitWithAck on a broadcast needs timeout(...) first, or the ackTimeout option"));
        ArrayNode data = Json.arrayOf(event, args);
        List<Namespace> targets = targets();
        BroadcastAcks acks = new BroadcastAcks(
                nsp.server(),
                targets.stream().mapToInt(n -> n.adapter().serverCount()).sum(),
                timeout);
        // The timeout travels with the packet, so each recipient stops waiting for its ack then too.
        BroadcastOptions opts = new BroadcastOptions(rooms, except, flags.withTimeout(timeout));
        for (Namespace target : targets) {
            target.adapter()
                    .broadcastWithAck(new Packet(PacketType.EVENT, target.name(), data), opts, acks.counts(), acks);
        }
        acks.check();
        return acks.future();
    }

    /** Snapshots of the matching sockets, with handles to emit to, join or disconnect each. */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        List<CompletableFuture<List<SocketDetails>>> parts = new ArrayList<>();
        for (Namespace target : targets()) {
            parts.add(target.adapter().fetchSockets(options()));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<RemoteSocket> out = new ArrayList<>();
            for (CompletableFuture<List<SocketDetails>> p : parts) {
                for (SocketDetails d : p.join()) {
                    Namespace owner = d.nsp().equals(nsp.name())
                            ? nsp
                            : nsp.server().namespace(d.nsp()).orElse(nsp);
                    out.add(new RemoteSocket(owner, d));
                }
            }
            return List.copyOf(out);
        });
    }

    /** Makes the matching sockets join the rooms. */
    public void socketsJoin(String... rooms) {
        Set<String> set = checked(rooms);
        targets().forEach(t -> t.adapter().addSockets(options(), set));
    }

    /** Makes the matching sockets leave the rooms. */
    public void socketsLeave(String... rooms) {
        Set<String> set = checked(rooms);
        targets().forEach(t -> t.adapter().delSockets(options(), set));
    }

    /** Disconnects the matching sockets; {@code close} also closes their connections. */
    public void disconnectSockets(boolean close) {
        targets().forEach(t -> t.adapter().disconnectSockets(options(), close));
    }

    private List<Namespace> targets() {
        return nsp.isParent() ? List.copyOf(nsp.children()) : List.of(nsp);
    }

    private static Set<String> checked(String[] rooms) {
        Arrays.stream(rooms).forEach(r -> Objects.requireNonNull(r, "room"));
        return Set.of(rooms).size() == rooms.length ? Set.of(rooms) : new HashSet<>(Arrays.asList(rooms));
    }
}
