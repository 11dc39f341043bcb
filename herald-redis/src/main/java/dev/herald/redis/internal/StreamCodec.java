package dev.herald.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.adapter.PersistedSession;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.internal.MsgPack;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * The wire format of {@code @socket.io/redis-streams-adapter} 0.3, whose messages are
 * {@code socket.io-adapter}'s cluster messages {@code {uid, nsp, type, data}}:
 *
 * <ul>
 *   <li>broadcasts without acks, joins, leaves and disconnects are stream entries with the fields
 *       {@code uid}, {@code nsp}, {@code type} (a decimal string) and {@code data}: JSON text, or
 *       base64 msgpack when the data holds binary;
 *   <li>broadcasts with acks, server-side emits and socket fetches (the "ephemeral" ones) are
 *       msgpack on the namespace's public channel, answers msgpack on the asker's private channel;
 *   <li>a session is base64 msgpack {@code {sid, pid, rooms, data}} under {@code <prefix><pid>}.
 * </ul>
 */
public final class StreamCodec {

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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A decoded stream entry or pub/sub message: a request or broadcast, or an answer. */
    public sealed interface Incoming {
        /** A message for every node. */
        record Message(ClusterMessage message) implements Incoming {}

        /** An answer to a request of this node. */
        record Response(ClusterResponse response) implements Incoming {}
    }

    private final String nsp;

    /** The codec of one namespace. */
    public StreamCodec(String nsp) {
        this.nsp = nsp;
    }

    /** Whether the message travels over pub/sub rather than the stream, as the reference decides. */
    public static boolean ephemeral(ClusterMessage message) {
        return switch (message) {
            case ClusterMessage.Broadcast b -> b.requestId().isPresent();
            case ClusterMessage.ServerSideEmit e -> true;
            case ClusterMessage.FetchSockets f -> true;
            default -> false;
        };
    }

    // ---- outgoing ----

    /** The fields of the stream entry of a message that is not {@link #ephemeral}. */
    public Map<String, byte[]> entry(ClusterMessage message) {
        ObjectNode whole = encode(message);
        var fields = new LinkedHashMap<String, byte[]>();
        fields.put("uid", utf8(message.uid()));
        fields.put("nsp", utf8(message.nsp()));
        fields.put("type", utf8(whole.get("type").asText()));
        JsonNode data = whole.get("data");
        if (data != null) {
            fields.put("data", hasBinary(data)
                    ? utf8(Base64.getEncoder().encodeToString(MsgPack.encode(data)))
                    : json(data));
        }
        return fields;
    }

    /** The msgpack payload of an {@link #ephemeral} message. */
    public byte[] pubSub(ClusterMessage message) {
        return MsgPack.encode(encode(message));
    }

    /** The msgpack payload of an answer from {@code uid}. */
    public byte[] response(String uid, ClusterResponse response) {
        var node = header(uid);
        var data = Wire.NODES.objectNode();
        data.put("requestId", response.requestId());
        switch (response) {
            case ClusterResponse.FetchSockets f -> {
                node.put("type", FETCH_SOCKETS_RESPONSE);
                var sockets = data.putArray("sockets");
                f.sockets().forEach(s -> sockets.add(RemoteSockets.toJson(s)));
            }
            case ClusterResponse.ServerSideEmit e -> {
                node.put("type", SERVER_SIDE_EMIT_RESPONSE);
                data.set("packet", e.reply());
            }
            case ClusterResponse.BroadcastClientCount c -> {
                node.put("type", BROADCAST_CLIENT_COUNT);
                data.put("clientCount", c.clientCount());
            }
            case ClusterResponse.BroadcastAck a -> {
                node.put("type", BROADCAST_ACK);
                // the reference forwards one ack argument
                data.set("packet", a.args().isEmpty() ? Wire.NODES.nullNode() : a.args().get(0));
            }
            case ClusterResponse.Sockets s -> throw new IllegalArgumentException("no sockets answer in this protocol");
            case ClusterResponse.AllRooms r -> throw new IllegalArgumentException("no allRooms answer in this protocol");
        }
        node.set("data", data);
        return MsgPack.encode(node);
    }

    private ObjectNode encode(ClusterMessage message) {
        var node = header(message.uid());
        var data = Wire.NODES.objectNode();
        switch (message) {
            case ClusterMessage.Broadcast b -> {
                node.put("type", BROADCAST);
                data.set("packet", ClassicCodec.packet(b.packet()));
                data.set("opts", opts(b.opts()));
                b.requestId().ifPresent(id -> data.put("requestId", id));
            }
            case ClusterMessage.SocketsJoin j -> {
                node.put("type", SOCKETS_JOIN);
                data.set("opts", opts(j.opts()));
                data.set("rooms", Wire.strings(j.rooms()));
            }
            case ClusterMessage.SocketsLeave l -> {
                node.put("type", SOCKETS_LEAVE);
                data.set("opts", opts(l.opts()));
                data.set("rooms", Wire.strings(l.rooms()));
            }
            case ClusterMessage.DisconnectSockets d -> {
                node.put("type", DISCONNECT_SOCKETS);
                data.set("opts", opts(d.opts()));
                data.put("close", d.close());
            }
            case ClusterMessage.FetchSockets f -> {
                node.put("type", FETCH_SOCKETS);
                data.set("opts", opts(f.opts()));
                data.put("requestId", f.requestId());
            }
            case ClusterMessage.ServerSideEmit e -> {
                node.put("type", SERVER_SIDE_EMIT);
                var packet = data.putArray("packet");
                packet.add(e.event());
                packet.addAll(e.args());
                e.requestId().ifPresent(id -> data.put("requestId", id));
            }
            case ClusterMessage.Sockets s -> throw new IllegalArgumentException("no sockets request in this protocol");
            case ClusterMessage.AllRooms a -> throw new IllegalArgumentException("no allRooms request in this protocol");
        }
        node.set("data", data);
        return node;
    }

    private ObjectNode header(String uid) {
        var node = Wire.NODES.objectNode();
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
     * A stream entry, if it is for this namespace and of a kind this adapter serves.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public Optional<Incoming> decodeEntry(Map<String, byte[]> fields) {
        var node = Wire.NODES.objectNode();
        node.put("uid", text(fields.get("uid")));
        node.put("nsp", text(fields.get("nsp")));
        try {
            node.put("type", Integer.parseInt(text(fields.get("type"))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("entry type is not a number", e);
        }
        byte[] data = fields.get("data");
        if (data != null && data.length > 0) {
            node.set("data", data[0] == '{' ? parseJson(data) : MsgPack.decode(Base64.getDecoder().decode(data)));
        }
        return decode(node);
    }

    /**
     * A pub/sub message, if it is for this namespace and of a kind this adapter serves.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public Optional<Incoming> decodePubSub(byte[] payload) {
        return decode(Wire.decodeRequest(payload));
    }

    private Optional<Incoming> decode(ObjectNode node) {
        if (!nsp.equals(node.path("nsp").asText())) {
            return Optional.empty();
        }
        String uid = node.path("uid").asText("");
        JsonNode data = node.path("data");
        Optional<String> requestId = data.path("requestId").isTextual()
                ? Optional.of(data.get("requestId").asText()) : Optional.empty();
        var opts = data.path("opts");
        var rooms = new LinkedHashSet<>(Wire.stringList(data.get("rooms")));
        ClusterMessage message = switch (node.path("type").asInt(-1)) {
            case BROADCAST -> {
                if (!data.path("packet").isObject() || !opts.isObject()) {
                    throw new IllegalArgumentException("broadcast without packet or opts");
                }
                yield new ClusterMessage.Broadcast(uid, nsp, ClassicCodec.packet(data.get("packet")), opts(opts),
                        requestId);
            }
            case SOCKETS_JOIN -> new ClusterMessage.SocketsJoin(uid, nsp, opts(opts), rooms);
            case SOCKETS_LEAVE -> new ClusterMessage.SocketsLeave(uid, nsp, opts(opts), rooms);
            case DISCONNECT_SOCKETS ->
                    new ClusterMessage.DisconnectSockets(uid, nsp, opts(opts), data.path("close").asBoolean(false));
            case FETCH_SOCKETS -> new ClusterMessage.FetchSockets(uid, nsp, opts(opts), requestId.orElseThrow(
                    () -> new IllegalArgumentException("fetchSockets without requestId")));
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
            case SERVER_SIDE_EMIT_RESPONSE -> new ClusterResponse.ServerSideEmit(id,
                    data.path("packet").isMissingNode() ? Wire.NODES.nullNode() : data.get("packet"));
            case BROADCAST_CLIENT_COUNT -> new ClusterResponse.BroadcastClientCount(id, data.path("clientCount").asInt());
            case BROADCAST_ACK -> {
                ArrayNode args = Wire.NODES.arrayNode();
                args.add(data.path("packet").isMissingNode() ? Wire.NODES.nullNode() : data.get("packet"));
                yield new ClusterResponse.BroadcastAck(id, args);
            }
            default -> null;
        };
        return Optional.ofNullable(response).map(Incoming.Response::new);
    }

    private static BroadcastOptions opts(JsonNode opts) {
        return new BroadcastOptions(
                new LinkedHashSet<>(Wire.stringList(opts.get("rooms"))),
                new LinkedHashSet<>(Wire.stringList(opts.get("except"))),
                ClassicCodec.flags(opts.path("flags")));
    }

    /** The packet of a broadcast entry with the entry id appended as its offset. */
    public static Packet withOffset(Packet packet, String offset) {
        ArrayNode data = (ArrayNode) packet.data();
        ArrayNode copy = data.arrayNode(data.size() + 1).addAll(data).add(offset);
        return new Packet(packet.type(), packet.nsp(), copy, packet.id());
    }

    // ---- sessions ----

    /**
     * A session as the reference stores it: base64 msgpack {@code {sid, pid, rooms, data}}, plus
     * Herald's {@code startOffset} (which Node ignores) when there is one.
     */
    public static byte[] session(PersistedSession session) {
        var node = Wire.NODES.objectNode();
        node.put("sid", session.sid());
        node.put("pid", session.pid());
        node.set("rooms", Wire.strings(session.rooms()));
        node.set("data", JSON.valueToTree(session.data()));
        session.startOffset().ifPresent(o -> node.put("startOffset", o));
        return utf8(Base64.getEncoder().encodeToString(MsgPack.encode(node)));
    }

    /**
     * A session stored by {@link #session} or by a Node node.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public static PersistedSession session(byte[] stored) {
        JsonNode node = MsgPack.decode(Base64.getDecoder().decode(text(stored)));
        if (!node.path("sid").isTextual() || !node.path("pid").isTextual()) {
            throw new IllegalArgumentException("session without sid or pid");
        }
        Map<String, Object> data = node.path("data").isObject()
                ? JSON.convertValue(node.get("data"), JSON.getTypeFactory().constructMapType(
                        LinkedHashMap.class, String.class, Object.class))
                : Map.of();
        data.values().removeIf(java.util.Objects::isNull);
        return new PersistedSession(node.get("sid").asText(), node.get("pid").asText(),
                new LinkedHashSet<>(Wire.stringList(node.get("rooms"))), data,
                node.path("startOffset").isTextual() ? Optional.of(node.get("startOffset").asText()) : Optional.empty());
    }

    // ---- pieces ----

    private static boolean hasBinary(JsonNode node) {
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

    private static byte[] json(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode as JSON", e);
        }
    }

    private static JsonNode parseJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("malformed JSON data", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("missing field");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
