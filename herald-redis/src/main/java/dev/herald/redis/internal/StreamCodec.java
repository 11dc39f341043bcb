package dev.herald.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import dev.herald.socketio.adapter.PersistedSession;
import dev.herald.socketio.internal.MsgPack;
import dev.herald.socketio.parser.Packet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The wire format of {@code @socket.io/redis-streams-adapter} 0.3, whose messages are
 * {@code socket.io-adapter}'s cluster messages ({@link ClusterCodec}):
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterCodec messages;

    /** The codec of one namespace. */
    public StreamCodec(String nsp) {
        this.messages = new ClusterCodec(nsp);
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
        ObjectNode whole = messages.encode(message);
        var fields = new LinkedHashMap<String, byte[]>();
        fields.put("uid", utf8(message.uid()));
        fields.put("nsp", utf8(message.nsp()));
        fields.put("type", utf8(whole.get("type").asText()));
        JsonNode data = whole.get("data");
        if (data != null) {
            fields.put(
                    "data",
                    ClusterCodec.hasBinary(data)
                            ? utf8(Base64.getEncoder().encodeToString(MsgPack.encode(data)))
                            : json(data));
        }
        return fields;
    }

    /** The msgpack payload of an {@link #ephemeral} message. */
    public byte[] pubSub(ClusterMessage message) {
        return MsgPack.encode(messages.encode(message));
    }

    /** The msgpack payload of an answer from {@code uid}. */
    public byte[] response(String uid, ClusterResponse response) {
        return MsgPack.encode(messages.encode(uid, response));
    }

    // ---- incoming ----

    /**
     * A stream entry, if it is for this namespace and of a kind this adapter serves.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public Optional<ClusterCodec.Incoming> decodeEntry(Map<String, byte[]> fields) {
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
            node.set(
                    "data",
                    data[0] == '{'
                            ? parseJson(data)
                            : MsgPack.decode(Base64.getDecoder().decode(data)));
        }
        return messages.decode(node);
    }

    /**
     * A pub/sub message, if it is for this namespace and of a kind this adapter serves.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public Optional<ClusterCodec.Incoming> decodePubSub(byte[] payload) {
        return messages.decode(Wire.decodeRequest(payload));
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
                ? JSON.convertValue(
                        node.get("data"),
                        JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class))
                : Map.of();
        data.values().removeIf(Objects::isNull);
        return new PersistedSession(
                node.get("sid").asText(),
                node.get("pid").asText(),
                new LinkedHashSet<>(Wire.stringList(node.get("rooms"))),
                data,
                node.path("startOffset").isTextual()
                        ? Optional.of(node.get("startOffset").asText())
                        : Optional.empty());
    }

    // ---- pieces ----

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
        } catch (IOException e) {
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
