package dev.herald.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Turns application values into the trees the wire codecs write. */
public final class Values {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Values() {}

    /**
     * A value as a tree: {@code byte[]} and {@link ByteBuffer} become binary (a Node {@code
     * Buffer}), a {@link JsonNode} is kept, anything else goes through Jackson.
     */
    public static JsonNode tree(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof ByteBuffer buffer) {
            var copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            return Wire.NODES.binaryNode(copy);
        }
        if (value instanceof byte[] bytes) {
            return Wire.NODES.binaryNode(bytes);
        }
        return MAPPER.valueToTree(value);
    }

    /** Each value as a tree. */
    public static List<JsonNode> trees(Object... values) {
        var out = new ArrayList<JsonNode>(values.length);
        for (var value : values) {
            out.add(tree(value));
        }
        return out;
    }
}
