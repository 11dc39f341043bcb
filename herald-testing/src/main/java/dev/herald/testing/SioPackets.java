package dev.herald.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test client's own small Socket.IO v5 codec: herald-testing must not depend on
 * herald-socketio, whose tests depend on herald-testing. Deliberately simple; not for production.
 */
final class SioPackets {

    static final ObjectMapper JSON = new ObjectMapper();

    private SioPackets() {}

    /** A decoded packet: type digit, namespace, ack id (-1 none), data (MissingNode when none), attachments announced. */
    record Decoded(int type, String nsp, long id, JsonNode data, int attachments) {}

    /** An encoded packet: the text and its attachments. */
    record Encoded(String text, List<byte[]> attachments) {}

    static JsonNode tree(Object value) {
        if (value instanceof byte[] b) {
            return JsonNodeFactory.instance.binaryNode(b);
        }
        if (value instanceof ByteBuffer buf) {
            ByteBuffer d = buf.duplicate();
            byte[] out = new byte[d.remaining()];
            d.get(out);
            return JsonNodeFactory.instance.binaryNode(out);
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        return JSON.valueToTree(value);
    }

    static ArrayNode array(String first, Object[] rest) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        if (first != null) {
            a.add(first);
        }
        for (Object o : rest) {
            a.add(tree(o));
        }
        return a;
    }

    /** Encodes type 0 (connect), 1, 2 (event) or 3 (ack); binary becomes 5/6 with attachments. */
    static Encoded encode(int type, String nsp, long id, JsonNode data) {
        List<byte[]> attachments = new ArrayList<>();
        JsonNode body = data == null ? null : strip(data, attachments);
        int wireType = type;
        if (!attachments.isEmpty()) {
            wireType = type == 2 ? 5 : 6;
        }
        StringBuilder sb = new StringBuilder().append(wireType);
        if (!attachments.isEmpty()) {
            sb.append(attachments.size()).append('-');
        }
        if (!"/".equals(nsp)) {
            sb.append(nsp).append(',');
        }
        if (id >= 0) {
            sb.append(id);
        }
        if (body != null) {
            try {
                sb.append(JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return new Encoded(sb.toString(), attachments);
    }

    private static JsonNode strip(JsonNode node, List<byte[]> out) {
        if (node instanceof BinaryNode b) {
            ObjectNode p = JsonNodeFactory.instance.objectNode();
            p.put("_placeholder", true);
            p.put("num", out.size());
            out.add(b.binaryValue());
            return p;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            a.forEach(c -> copy.add(strip(c, out)));
            return copy;
        }
        if (node instanceof ObjectNode o) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                copy.set(e.getKey(), strip(e.getValue(), out));
            }
            return copy;
        }
        return node;
    }

    static Decoded decode(String s) {
        int type = s.charAt(0) - '0';
        int i = 1;
        int attachments = 0;
        if (type == 5 || type == 6) {
            int dash = s.indexOf('-', i);
            attachments = Integer.parseInt(s.substring(i, dash));
            i = dash + 1;
        }
        String nsp = "/";
        if (i < s.length() && s.charAt(i) == '/') {
            int comma = s.indexOf(',', i);
            int end = comma < 0 ? s.length() : comma;
            nsp = s.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }
        long id = -1;
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i > start) {
            id = Long.parseLong(s.substring(start, i));
        }
        JsonNode data = MissingNode.getInstance();
        if (i < s.length()) {
            try {
                data = JSON.readTree(s.substring(i));
            } catch (JsonProcessingException e) {
                throw new AssertionError("server sent invalid JSON: " + s, e);
            }
        }
        return new Decoded(type, nsp, id, data, attachments);
    }

    /** Puts attachments in place of their placeholders. */
    static JsonNode fill(JsonNode node, List<byte[]> attachments) {
        if (node instanceof ObjectNode o) {
            if (o.path("_placeholder").asBoolean(false)) {
                return JsonNodeFactory.instance.binaryNode(
                        attachments.get(o.path("num").asInt()));
            }
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                e.setValue(fill(e.getValue(), attachments));
            }
            return o;
        }
        if (node instanceof ArrayNode a) {
            for (int k = 0; k < a.size(); k++) {
                a.set(k, fill(a.get(k), attachments));
            }
            return a;
        }
        return node;
    }
}
