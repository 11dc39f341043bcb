package dev.herald.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.parser.Packet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;

/**
 * {@code socket.io-adapter}'s cluster messages as trees: {@code {type, data, uid, nsp}}, the keys
 * in the order that adapter writes them (it adds {@code uid} and {@code nsp} last, when
 * publishing). The sharded Redis adapter and the streams adapter ship these trees, each in its
 * own encoding.
 */
public final class ClusterCodec {

    /** {@code socket.io-adapter}'s {@code MessageType}. */
    public static final int BROADCAST = 3;

    static final int SOCKETS_JOIN = 4;
    static final int SOCKETS_LEAVE = 5;
    static final int DISCONNECT_SOCKETS = 6;
    static final int FETCH_SOCKETS = 7;
    static final int FETCH_SOCKETS_RESPONSE = 8;
    static final int SERVER_SIDE_EMIT = 9;
    static final int SERVER_SIDE_EMIT_RESPONSE = 10;
    static final int BROADCAST_CLIENT_COUNT = 11;
    static final int BROADCAST_ACK = 12;

    /** A decoded message: a request or broadcast for every node, or an answer to this one. */
    public sealed interface Incoming {
        /** A message for every node. */
        record Message(ClusterMessage message) implements Incoming {}

        /** An answer to a request of this node. */
        record Response(ClusterResponse response) implements Incoming {}
    }

    private final String nsp;

    /** The codec of one namespace. */
    public ClusterCodec(String nsp) {
        this.nsp = nsp;
    }

    // ---- outgoing ----

    /** The tree of a message. */
    public ObjectNode encode(ClusterMessage message) {
        var data = Wire.NODES.objectNode();
        int type = switch (message) {
            case ClusterMessage.Broadcast b -> {
                data.set("packet", packet(b.packet()));
                // with acks the reference writes the request id before the options
                b.requestId().ifPresent(id -> data.put("requestId", id));
                data.set("opts", opts(b.opts()));
                yield BROADCAST;
            }
            case ClusterMessage.SocketsJoin j -> {
                data.set("opts", opts(j.opts()));
                data.set("rooms", Wire.strings(j.rooms()));
                yield SOCKETS_JOIN;
            }
            case ClusterMessage.SocketsLeave l -> {
                data.set("opts", opts(l.opts()));
                data.set("rooms", Wire.strings(l.rooms()));
                yield SOCKETS_LEAVE;
            }
            case ClusterMessage.DisconnectSockets d -> {
                data.set("opts", opts(d.opts()));
                data.put("close", d.close());
                yield DISCONNECT_SOCKETS;
            }
            case ClusterMessage.FetchSockets f -> {
                data.set("opts", opts(f.opts()));
                data.put("requestId", f.requestId());
                yield FETCH_SOCKETS;
            }
            case ClusterMessage.ServerSideEmit e -> {
                e.requestId().ifPresent(id -> data.put("requestId", id));
                var packet = data.putArray("packet");
                packet.add(e.event());
                packet.addAll(e.args());
                yield SERVER_SIDE_EMIT;
            }
            case ClusterMessage.Sockets s -> throw new IllegalArgumentException("no sockets request in this protocol");
            case ClusterMessage.AllRooms a ->
                throw new IllegalArgumentException("no allRooms request in this protocol");
        };
        return message(type, data, message.uid());
    }

    /** The tree of an answer from the node {@code uid}. */
    public ObjectNode encode(String uid, ClusterResponse response) {
        var data = Wire.NODES.objectNode();
        data.put("requestId", response.requestId());
        int type = switch (response) {
            case ClusterResponse.FetchSockets f -> {
                var sockets = data.putArray("sockets");
                f.sockets().forEach(s -> sockets.add(RemoteSockets.toJson(s)));
                yield FETCH_SOCKETS_RESPONSE;
            }
            case ClusterResponse.ServerSideEmit e -> {
                data.set("packet", e.reply());
                yield SERVER_SIDE_EMIT_RESPONSE;
            }
            case ClusterResponse.BroadcastClientCount c -> {
                data.put("clientCount", c.clientCount());
                yield BROADCAST_CLIENT_COUNT;
            }
            case ClusterResponse.BroadcastAck a -> {
                // the reference forwards one ack argument
                data.set(
                        "packet",
                        a.args().isEmpty() ? Wire.NODES.nullNode() : a.args().get(0));
                yield BROADCAST_ACK;
            }
            case ClusterResponse.Sockets s -> throw new IllegalArgumentException("no sockets answer in this protocol");
            case ClusterResponse.AllRooms r ->
                throw new IllegalArgumentException("no allRooms answer in this protocol");
        };
        return message(type, data, uid);
    }

    /**
     * Whether the reference may send this message as msgpack: only the kinds whose data can hold
     * binary, and only when it does.
     */
    public static boolean needsBinaryEncoding(ObjectNode message) {
        return switch (message.path("type").asInt()) {
            case BROADCAST, BROADCAST_ACK, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT, SERVER_SIDE_EMIT_RESPONSE ->
                hasBinary(message.path("data"));
            default -> false;
        };
    }

    /** Whether a tree holds binary anywhere. */
    public static boolean hasBinary(JsonNode node) {
        if (node.isBinary()) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasBinary(child)) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode message(int type, ObjectNode data, String uid) {
        var node = Wire.NODES.objectNode();
        node.put("type", type);
        node.set("data", data);
        node.put("uid", uid);
        node.put("nsp", nsp);
        return node;
    }

    private static ObjectNode opts(BroadcastOptions opts) {
        var node = Wire.requestOpts(opts.rooms(), opts.except());
        node.set("flags", ClassicCodec.flags(opts.flags()));
        return node;
    }

    // ---- incoming ----

    /**
     * A message or an answer, if it is for this namespace and of a kind this adapter serves.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public Optional<Incoming> decode(ObjectNode node) {
        if (!nsp.equals(node.path("nsp").asText())) {
            return Optional.empty();
        }
        String uid = node.path("uid").asText("");
        JsonNode data = node.path("data");
        Optional<String> requestId = data.path("requestId").isTextual()
                ? Optional.of(data.get("requestId").asText())
                : Optional.empty();
        var opts = data.path("opts");
        var rooms = new LinkedHashSet<>(Wire.stringList(data.get("rooms")));
        ClusterMessage message = switch (node.path("type").asInt(-1)) {
            case BROADCAST -> {
                if (!data.path("packet").isObject() || !opts.isObject()) {
                    throw new IllegalArgumentException("broadcast without packet or opts");
                }
                yield new ClusterMessage.Broadcast(uid, nsp, packet(data.get("packet")), opts(opts), requestId);
            }
            case SOCKETS_JOIN -> new ClusterMessage.SocketsJoin(uid, nsp, opts(opts), rooms);
            case SOCKETS_LEAVE -> new ClusterMessage.SocketsLeave(uid, nsp, opts(opts), rooms);
            case DISCONNECT_SOCKETS ->
                new ClusterMessage.DisconnectSockets(
                        uid, nsp, opts(opts), data.path("close").asBoolean(false));
            case FETCH_SOCKETS ->
                new ClusterMessage.FetchSockets(
                        uid,
                        nsp,
                        opts(opts),
                        requestId.orElseThrow(() -> new IllegalArgumentException("fetchSockets without requestId")));
            case SERVER_SIDE_EMIT -> {
                var packet = data.path("packet");
                if (!packet.isArray() || packet.isEmpty() || !packet.get(0).isTextual()) {
                    throw new IllegalArgumentException("serverSideEmit without an event name");
                }
                var args = Wire.NODES.arrayNode();
                for (int i = 1; i < packet.size(); i++) {
                    args.add(packet.get(i));
                }
                yield new ClusterMessage.ServerSideEmit(uid, nsp, packet.get(0).asText(), args, requestId);
            }
            default -> null;
        };
        if (message != null) {
            return Optional.of(new Incoming.Message(message));
        }
        if (requestId.isEmpty()) {
            return Optional.empty();
        }
        String id = requestId.get();
        ClusterResponse response = switch (node.path("type").asInt(-1)) {
            case FETCH_SOCKETS_RESPONSE -> {
                var sockets = new ArrayList<SocketDetails>();
                data.path("sockets").forEach(s -> sockets.add(RemoteSockets.fromJson(s, nsp)));
                yield new ClusterResponse.FetchSockets(id, sockets);
            }
            case SERVER_SIDE_EMIT_RESPONSE ->
                new ClusterResponse.ServerSideEmit(
                        id, data.path("packet").isMissingNode() ? Wire.NODES.nullNode() : data.get("packet"));
            case BROADCAST_CLIENT_COUNT ->
                new ClusterResponse.BroadcastClientCount(
                        id, data.path("clientCount").asInt());
            case BROADCAST_ACK -> {
                ArrayNode args = Wire.NODES.arrayNode();
                args.add(data.path("packet").isMissingNode() ? Wire.NODES.nullNode() : data.get("packet"));
                yield new ClusterResponse.BroadcastAck(id, args);
            }
            default -> null;
        };
        return Optional.ofNullable(response).map(Incoming.Response::new);
    }

    /**
     * A packet as the reference ships it in a cluster message: {@code {type, data}}, without
     * {@code nsp} (Node's adapter publishes before its local broadcast sets it), and without an
     * ack id (each node numbers its own).
     */
    private static ObjectNode packet(Packet packet) {
        var node = ClassicCodec.packet(packet);
        node.remove("nsp");
        node.remove("id");
        return node;
    }

    /** A packet of a cluster message: for the message's namespace when it does not name one. */
    private Packet packet(JsonNode node) {
        var packet = ClassicCodec.packet(node);
        return node.has("nsp") ? packet : new Packet(packet.type(), nsp, packet.data(), packet.id());
    }

    private static BroadcastOptions opts(JsonNode opts) {
        return ClassicCodec.opts(opts).orElseThrow(() -> new IllegalArgumentException("message without opts"));
    }
}
