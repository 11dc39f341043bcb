package dev.herald.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.redis.internal.BroadcastMessage;
import dev.herald.redis.internal.Channels;
import dev.herald.redis.internal.ClassicCodec;
import dev.herald.redis.internal.RequestType;
import dev.herald.redis.internal.Values;
import dev.herald.redis.internal.Wire;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The target of an emit from a {@link RedisEmitter}: rooms to reach, rooms to skip, and flags.
 *
 * <p>Immutable: each call returns a new operator, so one can be kept and reused from any thread.
 */
public final class EmitterBroadcastOperator {

    private static final Set<String> RESERVED_EVENTS =
            Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private final RedisEmitter.Publisher publisher;
    private final Channels channels;
    private final Set<String> rooms;
    private final Set<String> except;
    private final ObjectNode flags;

    EmitterBroadcastOperator(RedisEmitter.Publisher publisher, Channels channels) {
        this(publisher, channels, Set.of(), Set.of(), JsonNodeFactory.instance.objectNode());
    }

    private EmitterBroadcastOperator(
            RedisEmitter.Publisher publisher,
            Channels channels,
            Set<String> rooms,
            Set<String> except,
            ObjectNode flags) {
        this.publisher = publisher;
        this.channels = channels;
        this.rooms = rooms;
        this.except = except;
        this.flags = flags;
    }

    /** Also targets the clients in these rooms. */
    public EmitterBroadcastOperator to(String... rooms) {
        return new EmitterBroadcastOperator(publisher, channels, plus(this.rooms, rooms), except, flags);
    }

    /** Same as {@link #to}. */
    public EmitterBroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** Also skips the clients in these rooms. */
    public EmitterBroadcastOperator except(String... rooms) {
        return new EmitterBroadcastOperator(publisher, channels, this.rooms, plus(except, rooms), flags);
    }

    /** Lets each node drop the event for a client that is not ready. */
    public EmitterBroadcastOperator asVolatile() {
        var copy = flags.deepCopy();
        copy.put("volatile", true);
        return new EmitterBroadcastOperator(publisher, channels, rooms, except, copy);
    }

    /** Sets the {@code compress} flag. */
    public EmitterBroadcastOperator compress(boolean compress) {
        var copy = flags.deepCopy();
        copy.put("compress", compress);
        return new EmitterBroadcastOperator(publisher, channels, rooms, except, copy);
    }

    /**
     * Emits the event to the targeted clients, on every node.
     *
     * <p>Arguments are converted with Jackson; {@code byte[]} and {@code ByteBuffer} travel as
     * binary, and reach clients as binary attachments.
     *
     * @throws IllegalArgumentException if the event name is reserved ({@code connect}, …)
     */
    public CompletableFuture<Long> emit(String event, Object... args) {
        Objects.requireNonNull(event, "event");
        if (RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException('"' + event + "\" is a reserved event name");
        }
        var sharded = shardedPublish(opts -> {
            var data = Wire.NODES.arrayNode().add(event).addAll(Values.trees(args));
            return new ClusterMessage.Broadcast(
                    BroadcastMessage.EMITTER_UID,
                    channels.nsp(),
                    new Packet(PacketType.EVENT, channels.nsp(), data),
                    opts,
                    Optional.empty());
        });
        if (sharded.isPresent()) {
            return sharded.get();
        }
        var packet = Wire.eventPacket(channels.nsp(), event, Values.trees(args));
        var message = new BroadcastMessage(
                BroadcastMessage.EMITTER_UID, packet, List.copyOf(rooms), List.copyOf(except), flags);
        return publisher.publish(channels.broadcastTo(rooms), message.encodeAsEmitter());
    }

    /** Makes the targeted sockets join these rooms, on every node. */
    public CompletableFuture<Long> socketsJoin(String... rooms) {
        return roomsRequest(RequestType.REMOTE_JOIN, rooms);
    }

    /** Makes the targeted sockets leave these rooms, on every node. */
    public CompletableFuture<Long> socketsLeave(String... rooms) {
        return roomsRequest(RequestType.REMOTE_LEAVE, rooms);
    }

    /** Disconnects the targeted sockets, on every node, keeping their connections. */
    public CompletableFuture<Long> disconnectSockets() {
        return disconnectSockets(false);
    }

    /**
     * Disconnects the targeted sockets, on every node.
     *
     * @param close whether to close the underlying connection too
     */
    public CompletableFuture<Long> disconnectSockets(boolean close) {
        var sharded = shardedPublish(opts ->
                new ClusterMessage.DisconnectSockets(BroadcastMessage.EMITTER_UID, channels.nsp(), opts, close));
        if (sharded.isPresent()) {
            return sharded.get();
        }
        var request = Wire.NODES.objectNode();
        request.put("type", RequestType.REMOTE_DISCONNECT.code());
        request.set("opts", Wire.requestOpts(this.rooms, except));
        request.put("close", close);
        return publisher.publish(channels.request(), Wire.json(request));
    }

    /** Sends an event to the servers of the cluster; acknowledgements are not supported. */
    public CompletableFuture<Long> serverSideEmit(String event, Object... args) {
        Objects.requireNonNull(event, "event");
        var sharded = shardedPublish(opts -> new ClusterMessage.ServerSideEmit(
                BroadcastMessage.EMITTER_UID,
                channels.nsp(),
                event,
                Wire.NODES.arrayNode().addAll(Values.trees(args)),
                Optional.empty()));
        if (sharded.isPresent()) {
            return sharded.get();
        }
        var data = Wire.NODES.arrayNode();
        data.add(event);
        data.addAll(Values.trees(args));
        var request = Wire.NODES.objectNode();
        request.put("uid", BroadcastMessage.EMITTER_UID);
        request.put("type", RequestType.SERVER_SIDE_EMIT.code());
        request.set("data", data);
        return publisher.publish(channels.request(), Wire.json(request));
    }

    private CompletableFuture<Long> roomsRequest(RequestType type, String... rooms) {
        var set = new LinkedHashSet<>(Arrays.asList(rooms));
        var sharded = shardedPublish(opts -> type == RequestType.REMOTE_JOIN
                ? new ClusterMessage.SocketsJoin(BroadcastMessage.EMITTER_UID, channels.nsp(), opts, set)
                : new ClusterMessage.SocketsLeave(BroadcastMessage.EMITTER_UID, channels.nsp(), opts, set));
        if (sharded.isPresent()) {
            return sharded.get();
        }
        var request = Wire.NODES.objectNode();
        request.put("type", type.code());
        request.set("opts", Wire.requestOpts(this.rooms, except));
        request.set("rooms", Wire.strings(Arrays.asList(rooms)));
        return publisher.publish(channels.request(), Wire.json(request));
    }

    /**
     * Publishes the message in the sharded adapter's format, on the channel its subscription mode
     * reads, when this emitter speaks it; empty for the classic format.
     */
    private Optional<CompletableFuture<Long>> shardedPublish(Function<BroadcastOptions, ClusterMessage> message) {
        return publisher.sharded(channels).map(codec -> {
            var built = message.apply(new BroadcastOptions(rooms, except, ClassicCodec.flags(flags)));
            return publisher.publish(codec.channelOf(built), codec.encode(built));
        });
    }

    private static Set<String> plus(Set<String> base, String... more) {
        var out = new LinkedHashSet<>(base);
        for (var room : more) {
            out.add(Objects.requireNonNull(room, "room"));
        }
        return out;
    }
}
