package dev.herald.socketio.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.engineio.Message;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.nio.ByteBuffer;
import java.util.Map;

/** The one Jackson mapper of the Socket.IO layer; thread-safe once built. */
public final class Json {

    /** Shared mapper: unknown properties are ignored so clients may send more than a record holds. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .findAndAddModules()
            .build();

    /** Reads trees without resolving the target type on every call, as MAPPER.readTree does. */
    public static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class);

    private Json() {}

    /**
     * Runs the codecs once, so the classes and Jackson's serializers are loaded when the server is
     * built rather than on an event loop when the first client connects (which, on a cold JVM,
     * can take longer than a short ping interval).
     */
    public static void prime() {
        try {
            Packet sample = new Packet(
                    PacketType.EVENT, "/", arrayOf(new Object[] {"prime", Map.of("k", 1), new byte[] {1}}), 1);
            PacketDecoder decoder = new PacketDecoder(1);
            for (Message m : PacketEncoder.encode(sample)) {
                decoder.decode(m);
            }
            MAPPER.treeToValue(MAPPER.readTree("{\"a\":[1,\"b\",true]}"), Map.class);
        } catch (Exception e) {
            throw new IllegalStateException("codec self-check failed", e);
        }
    }

    /** A new empty array node. */
    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * Converts one application value to a tree. {@code byte[]} and {@link ByteBuffer}, anywhere in
     * the value, become {@link com.fasterxml.jackson.databind.node.BinaryNode}s, which the encoder
     * turns into attachments.
     */
    public static JsonNode toTree(Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof byte[] bytes) {
            return JsonNodeFactory.instance.binaryNode(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            return JsonNodeFactory.instance.binaryNode(bytes(buffer));
        }
        return MAPPER.valueToTree(value);
    }

    /** An array node of the given values, each converted with {@link #toTree(Object)}. */
    public static ArrayNode arrayOf(Object first, Object[] rest) {
        ArrayNode array = array();
        array.add(toTree(first));
        for (Object o : rest) {
            array.add(toTree(o));
        }
        return array;
    }

    /** An array node of the given values, each converted with {@link #toTree(Object)}. */
    public static ArrayNode arrayOf(Object[] values) {
        ArrayNode array = array();
        for (Object o : values) {
            array.add(toTree(o));
        }
        return array;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
