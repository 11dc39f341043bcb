package dev.herald.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.internal.MsgPack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Encoding helpers for the request and response channels of {@code @socket.io/redis-adapter} 8.3.
 *
 * <p>That adapter sends most requests and responses as JSON text ({@code JSON.stringify}), and
 * only the broadcast-with-ack request and the broadcast ack response as msgpack. A receiver tells
 * them apart by the first byte: {@code '{'} is JSON. Binary inside JSON is written as Node writes a
 * {@code Buffer}: {@code {"type":"Buffer","data":[…]}}.
 */
public final class Wire {

    /** The node factory of every tree built here. */
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {}

    /** A Socket.IO EVENT packet {@code {type: 2, data: [event, ...args], nsp}}. */
    public static ObjectNode eventPacket(String nsp, String event, List<JsonNode> args) {
        var data = NODES.arrayNode(args.size() + 1);
        data.add(event);
        data.addAll(args);
        var packet = NODES.objectNode();
        packet.put("type", 2);
        packet.set("data", data);
        packet.put("nsp", nsp);
        return packet;
    }

    /** The {@code opts} of a request: {@code {rooms, except}}. */
    public static ObjectNode requestOpts(Collection<String> rooms, Collection<String> except) {
        var opts = NODES.objectNode();
        opts.set("rooms", strings(rooms));
        opts.set("except", strings(except));
        return opts;
    }

    /** A JSON array of strings. */
    public static ArrayNode strings(Collection<String> values) {
        var array = NODES.arrayNode(values.size());
        values.forEach(array::add);
        return array;
    }

    /** The strings of a JSON array (numbers as their text, as Node's rooms may be numbers). */
    public static List<String> stringList(JsonNode array) {
        if (array == null || !array.isArray()) {
            return List.of();
        }
        var out = new ArrayList<String>(array.size());
        array.forEach(element -> out.add(element.isTextual() ? element.textValue() : element.asText()));
        return out;
    }

    /** Encodes as {@code JSON.stringify} does, with binary in Node's Buffer shape. */
    public static byte[] json(JsonNode value) {
        try {
            return JSON.writeValueAsBytes(bufferShaped(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode as JSON", e);
        }
    }

    /**
     * Decodes a request or a response: JSON if the first byte is {@code '{'}, msgpack otherwise.
     *
     * @throws IllegalArgumentException if the bytes are not an object in either encoding
     */
    public static ObjectNode decodeRequest(byte[] bytes) {
        JsonNode node;
        if (bytes.length > 0 && bytes[0] == '{') {
            try {
                node = JSON.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalArgumentException("malformed JSON request", e);
            }
        } else {
            node = MsgPack.decode(bytes);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("request is not an object");
        }
        return object;
    }

    /** The bytes as UTF-8 text, for logs at TRACE. */
    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JsonNode bufferShaped(JsonNode value) {
        if (value.isBinary()) {
            byte[] bytes;
            try {
                bytes = value.binaryValue();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            var buffer = NODES.objectNode();
            buffer.put("type", "Buffer");
            var data = buffer.putArray("data");
            for (byte b : bytes) {
                data.add(b & 0xff);
            }
            return buffer;
        }
        if (value.isArray()) {
            var copy = NODES.arrayNode(value.size());
            value.forEach(element -> copy.add(bufferShaped(element)));
            return copy;
        }
        if (value.isObject()) {
            var copy = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                var field = it.next();
                copy.set(field.getKey(), bufferShaped(field.getValue()));
            }
            return copy;
        }
        return value;
    }
}
