package dev.herald.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.internal.MsgPack;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Maps {@link ClusterMessage}s and {@link ClusterResponse}s to the wire format of the classic
 * pub/sub {@code @socket.io/redis-adapter} 8.3, and back.
 *
 * <p>Broadcasts without acks travel as msgpack {@code [uid, packet, opts]} on the broadcast
 * channels; every other request is a JSON object on the request channel, except the broadcast
 * with acks, which is msgpack because its packet may hold binary. Answers carry no kind of their
 * own except {@code type} 6, 8 and 9: the others are recognised from the pending request id.
 */
public final class ClassicCodec {

    /** A message ready to publish. */
    public record Outgoing(String channel, byte[] payload) {}

    private final Channels channels;

    /** The codec of one namespace's channels. */
    public ClassicCodec(Channels channels) {
        this.channels = channels;
    }

    /** The channels. */
    public Channels channels() {
        return channels;
    }

    // ---- outgoing ----

    /** A message for the other nodes. */
    public Outgoing encode(ClusterMessage message) {
        return switch (message) {
            case ClusterMessage.Broadcast b
            when b.requestId().isEmpty() ->
                new Outgoing(
                        channels.broadcastTo(b.opts().rooms()),
                        new BroadcastMessage(
                                        b.uid(),
                                        packet(b.packet()),
                                        new ArrayList<>(b.opts().rooms()),
                                        new ArrayList<>(b.opts().except()),
                                        flags(b.opts().flags()))
                                .encode());
            case ClusterMessage.Broadcast b -> {
                var request = header(b.uid(), b.requestId(), RequestType.BROADCAST);
                request.set("packet", packet(b.packet()));
                var opts = Wire.requestOpts(b.opts().rooms(), b.opts().except());
                opts.set("flags", flags(b.opts().flags()));
                request.set("opts", opts);
                yield new Outgoing(channels.request(), MsgPack.encode(request));
            }
            case ClusterMessage.SocketsJoin j -> rooms(j.uid(), RequestType.REMOTE_JOIN, j.opts(), j.rooms());
            case ClusterMessage.SocketsLeave l -> rooms(l.uid(), RequestType.REMOTE_LEAVE, l.opts(), l.rooms());
            case ClusterMessage.DisconnectSockets d -> {
                var request = header(d.uid(), Optional.empty(), RequestType.REMOTE_DISCONNECT);
                request.set("opts", Wire.requestOpts(d.opts().rooms(), d.opts().except()));
                request.put("close", d.close());
                yield json(request);
            }
            case ClusterMessage.FetchSockets f -> {
                var request = header(f.uid(), Optional.of(f.requestId()), RequestType.REMOTE_FETCH);
                request.set("opts", Wire.requestOpts(f.opts().rooms(), f.opts().except()));
                yield json(request);
            }
            case ClusterMessage.Sockets s -> {
                var request = header(s.uid(), Optional.of(s.requestId()), RequestType.SOCKETS);
                request.set("rooms", Wire.strings(s.rooms()));
                yield json(request);
            }
            case ClusterMessage.AllRooms a -> json(header(a.uid(), Optional.of(a.requestId()), RequestType.ALL_ROOMS));
            case ClusterMessage.ServerSideEmit e -> {
                var request = header(e.uid(), e.requestId(), RequestType.SERVER_SIDE_EMIT);
                var data = request.putArray("data");
                data.add(e.event());
                data.addAll(e.args());
                yield json(request);
            }
        };
    }

    /** An answer for the node {@code requesterUid}, on the shared or on its own response channel. */
    public Outgoing encode(ClusterResponse response, String requesterUid, boolean specificChannel) {
        String channel = specificChannel ? channels.response(requesterUid) : channels.response();
        var node = Wire.NODES.objectNode();
        switch (response) {
            case ClusterResponse.FetchSockets f -> {
                node.put("requestId", f.requestId());
                var sockets = node.putArray("sockets");
                f.sockets().forEach(s -> sockets.add(RemoteSockets.toJson(s)));
            }
            case ClusterResponse.Sockets s -> {
                node.put("requestId", s.requestId());
                node.set("sockets", Wire.strings(s.sockets()));
            }
            case ClusterResponse.AllRooms r -> {
                node.put("requestId", r.requestId());
                node.set("rooms", Wire.strings(r.rooms()));
            }
            case ClusterResponse.ServerSideEmit e -> {
                node.put("type", RequestType.SERVER_SIDE_EMIT.code());
                node.put("requestId", e.requestId());
                node.set("data", e.reply());
            }
            case ClusterResponse.BroadcastClientCount c -> {
                node.put("type", RequestType.BROADCAST_CLIENT_COUNT.code());
                node.put("requestId", c.requestId());
                node.put("clientCount", c.clientCount());
            }
            case ClusterResponse.BroadcastAck a -> {
                node.put("type", RequestType.BROADCAST_ACK.code());
                node.put("requestId", a.requestId());
                // Node's adapter forwards only the first ack argument
                node.set(
                        "packet",
                        a.args().isEmpty() ? Wire.NODES.nullNode() : a.args().get(0));
                return new Outgoing(channel, MsgPack.encode(node));
            }
        }
        return new Outgoing(channel, Wire.json(node));
    }

    // ---- incoming ----

    /**
     * A broadcast from a broadcast channel.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public ClusterMessage.Broadcast decodeBroadcast(byte[] payload) {
        var message = BroadcastMessage.decode(payload);
        var opts = new BroadcastOptions(
                new LinkedHashSet<>(message.rooms()), new LinkedHashSet<>(message.except()), flags(message.flags()));
        return new ClusterMessage.Broadcast(
                message.uid(),
                message.packet().path("nsp").asText("/"),
                packet(message.packet()),
                opts,
                Optional.empty());
    }

    /**
     * A request from the request channel, if it is one this adapter serves.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public Optional<ClusterMessage> decodeRequest(byte[] payload) {
        ObjectNode request = Wire.decodeRequest(payload);
        var type = RequestType.of(request.path("type").asInt(-1));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        String uid = request.path("uid").asText("");
        String nsp = channels.nsp();
        Optional<String> requestId = request.path("requestId").isTextual()
                ? Optional.of(request.get("requestId").asText())
                : Optional.empty();
        var opts = opts(request.path("opts"));
        var rooms = new LinkedHashSet<>(Wire.stringList(request.get("rooms")));
        return switch (type.get()) {
            case SOCKETS -> requestId.map(id -> new ClusterMessage.Sockets(uid, nsp, rooms, id));
            case ALL_ROOMS -> requestId.map(id -> new ClusterMessage.AllRooms(uid, nsp, id));
            // the old single-socket form ({sid, room}) is not sent by 8.x nodes
            case REMOTE_JOIN -> opts.map(o -> new ClusterMessage.SocketsJoin(uid, nsp, o, rooms));
            case REMOTE_LEAVE -> opts.map(o -> new ClusterMessage.SocketsLeave(uid, nsp, o, rooms));
            case REMOTE_DISCONNECT ->
                opts.map(o -> new ClusterMessage.DisconnectSockets(
                        uid, nsp, o, request.path("close").asBoolean(false)));
            case REMOTE_FETCH ->
                requestId.flatMap(id -> opts.map(o -> new ClusterMessage.FetchSockets(uid, nsp, o, id)));
            case SERVER_SIDE_EMIT -> {
                var data = request.path("data");
                if (!data.isArray() || data.isEmpty() || !data.get(0).isTextual()) {
                    throw new IllegalArgumentException("serverSideEmit without an event name");
                }
                var args = Wire.NODES.arrayNode();
                for (int i = 1; i < data.size(); i++) {
                    args.add(data.get(i));
                }
                yield Optional.of(
                        new ClusterMessage.ServerSideEmit(uid, nsp, data.get(0).asText(), args, requestId));
            }
            case BROADCAST -> {
                if (requestId.isEmpty()
                        || opts.isEmpty()
                        || !request.path("packet").isObject()) {
                    throw new IllegalArgumentException("broadcast request without requestId, opts or packet");
                }
                var packetNode = (ObjectNode) request.get("packet");
                var flagged = new BroadcastOptions(
                        opts.get().rooms(),
                        opts.get().except(),
                        flags(request.path("opts").path("flags")));
                yield Optional.of(new ClusterMessage.Broadcast(
                        uid, packetNode.path("nsp").asText(nsp), packet(packetNode), flagged, requestId));
            }
            default -> Optional.empty();
        };
    }

    /**
     * An answer from a response channel; {@code pendingKind} tells what this node asked under a
     * request id (answers of kinds 0, 1 and 5 do not say it themselves).
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public Optional<ClusterResponse> decodeResponse(
            byte[] payload, Function<String, Optional<Class<? extends ClusterMessage>>> pendingKind) {
        ObjectNode response = Wire.decodeRequest(payload);
        if (!response.path("requestId").isTextual()) {
            return Optional.empty();
        }
        String requestId = response.get("requestId").asText();
        var kind = pendingKind.apply(requestId);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        int type = response.path("type").asInt(-1);
        if (type == RequestType.BROADCAST_CLIENT_COUNT.code()) {
            return Optional.of(new ClusterResponse.BroadcastClientCount(
                    requestId, response.path("clientCount").asInt()));
        }
        if (type == RequestType.BROADCAST_ACK.code()) {
            ArrayNode args = Wire.NODES.arrayNode();
            args.add(response.has("packet") ? response.get("packet") : Wire.NODES.nullNode());
            return Optional.of(new ClusterResponse.BroadcastAck(requestId, args));
        }
        Class<? extends ClusterMessage> k = kind.get();
        if (k == ClusterMessage.ServerSideEmit.class) {
            return Optional.of(new ClusterResponse.ServerSideEmit(
                    requestId, response.path("data").isMissingNode() ? Wire.NODES.nullNode() : response.get("data")));
        }
        if (k == ClusterMessage.FetchSockets.class && response.path("sockets").isArray()) {
            var sockets = new ArrayList<SocketDetails>();
            response.get("sockets").forEach(s -> sockets.add(RemoteSockets.fromJson(s, channels.nsp())));
            return Optional.of(new ClusterResponse.FetchSockets(requestId, sockets));
        }
        if (k == ClusterMessage.Sockets.class && response.path("sockets").isArray()) {
            return Optional.of(new ClusterResponse.Sockets(
                    requestId, new LinkedHashSet<>(Wire.stringList(response.get("sockets")))));
        }
        if (k == ClusterMessage.AllRooms.class && response.path("rooms").isArray()) {
            return Optional.of(new ClusterResponse.AllRooms(
                    requestId, new LinkedHashSet<>(Wire.stringList(response.get("rooms")))));
        }
        return Optional.empty();
    }

    // ---- pieces ----

    private ObjectNode header(String uid, Optional<String> requestId, RequestType type) {
        var request = Wire.NODES.objectNode();
        request.put("uid", uid);
        requestId.ifPresent(id -> request.put("requestId", id));
        request.put("type", type.code());
        return request;
    }

    private Outgoing rooms(String uid, RequestType type, BroadcastOptions opts, Set<String> rooms) {
        var request = header(uid, Optional.empty(), type);
        request.set("opts", Wire.requestOpts(opts.rooms(), opts.except()));
        request.set("rooms", Wire.strings(rooms));
        return json(request);
    }

    private Outgoing json(ObjectNode request) {
        return new Outgoing(channels.request(), Wire.json(request));
    }

    /** A Herald packet as the object Node's adapter ships: {@code {type, data, nsp, id?}}. */
    static ObjectNode packet(Packet packet) {
        var node = Wire.NODES.objectNode();
        // Node ships EVENT/ACK with the binary inside; the receiving encoder picks BINARY_*
        PacketType type = switch (packet.type()) {
            case BINARY_EVENT -> PacketType.EVENT;
            case BINARY_ACK -> PacketType.ACK;
            default -> packet.type();
        };
        node.put("type", type.code());
        if (packet.hasData()) {
            node.set("data", packet.data());
        }
        node.put("nsp", packet.nsp());
        if (packet.hasId()) {
            node.put("id", packet.id());
        }
        return node;
    }

    static Packet packet(JsonNode node) {
        int code = node.path("type").asInt(PacketType.EVENT.code());
        PacketType type = switch (code) {
            case 5 -> PacketType.EVENT;
            case 6 -> PacketType.ACK;
            default ->
                Arrays.stream(PacketType.values())
                        .filter(t -> t.code() == code)
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown packet type " + code));
        };
        JsonNode data = node.has("data") ? node.get("data") : MissingNode.getInstance();
        long id = node.path("id").isIntegralNumber() ? node.get("id").asLong() : Packet.NO_ID;
        return new Packet(type, node.path("nsp").asText("/"), data, id);
    }

    /** Herald flags as Node's: only what differs from the default is written. */
    static ObjectNode flags(BroadcastFlags flags) {
        var node = Wire.NODES.objectNode();
        if (flags.volatileFlag()) {
            node.put("volatile", true);
        }
        if (!flags.compress()) {
            node.put("compress", false);
        }
        flags.timeout().ifPresent(t -> node.put("timeout", t.toMillis()));
        return node;
    }

    public static BroadcastFlags flags(JsonNode node) {
        var flags = BroadcastFlags.DEFAULT;
        if (node.path("volatile").asBoolean(false)) {
            flags = flags.withVolatile(true);
        }
        if (node.path("compress").isBoolean() && !node.get("compress").asBoolean()) {
            flags = flags.withCompress(false);
        }
        if (node.path("timeout").isNumber()) {
            flags = flags.withTimeout(Duration.ofMillis(node.get("timeout").asLong()));
        }
        return flags;
    }

    static Optional<BroadcastOptions> opts(JsonNode opts) {
        if (!opts.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new BroadcastOptions(
                new LinkedHashSet<>(Wire.stringList(opts.get("rooms"))),
                new LinkedHashSet<>(Wire.stringList(opts.get("except"))),
                flags(opts.path("flags"))));
    }
}
