package dev.herald.socketio.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.engineio.Message;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link Packet} into Engine.IO messages: one text message, then one binary message
 * per attachment when the payload holds binary.
 *
 * <p>Stateless and thread-safe. A broadcast calls it once and hands the same message instances
 * to every recipient.
 */
public final class PacketEncoder {

    private PacketEncoder() {}

    /** Encodes the packet. Text EVENT/ACK become BINARY_* when the data holds binary. */
    public static List<Message> encode(Packet packet) {
        PacketType type = packet.type();
        JsonNode data = packet.data();
        List<byte[]> attachments = List.of();
        if (type.isEventOrAck() && hasBinary(data)) {
            List<byte[]> collected = new ArrayList<>();
            data = deconstruct(data, collected);
            attachments = collected;
            type = (type == PacketType.EVENT || type == PacketType.BINARY_EVENT)
                    ? PacketType.BINARY_EVENT
                    : PacketType.BINARY_ACK;
        } else if (type == PacketType.BINARY_EVENT) {
            type = PacketType.EVENT;
        } else if (type == PacketType.BINARY_ACK) {
            type = PacketType.ACK;
        }
        StringBuilder sb = new StringBuilder(64);
        sb.append((char) ('0' + type.code()));
        if (type == PacketType.BINARY_EVENT || type == PacketType.BINARY_ACK) {
            sb.append(attachments.size()).append('-');
        }
        if (!"/".equals(packet.nsp())) {
            sb.append(packet.nsp()).append(',');
        }
        if (packet.hasId()) {
            sb.append(packet.id());
        }
        if (packet.hasData()) {
            try {
                sb.append(Json.MAPPER.writeValueAsString(data));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        Message text = Message.text(sb.toString());
        if (attachments.isEmpty()) {
            return List.of(text);
        }
        List<Message> out = new ArrayList<>(attachments.size() + 1);
        out.add(text);
        for (byte[] a : attachments) {
            out.add(Message.binary(a));
        }
        return List.copyOf(out);
    }

    /** Whether the tree holds a binary node anywhere. */
    public static boolean hasBinary(JsonNode node) {
        if (node.isBinary()) {
            return true;
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (hasBinary(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    // Copies the tree, replacing each binary node by a placeholder numbered in depth-first order,
    // which is the order the attachments follow the packet on the wire.
    private static JsonNode deconstruct(JsonNode node, List<byte[]> attachments) {
        if (node instanceof BinaryNode binary) {
            ObjectNode placeholder = JsonNodeFactory.instance.objectNode();
            placeholder.put("_placeholder", true);
            placeholder.put("num", attachments.size());
            attachments.add(binary.binaryValue());
            return placeholder;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(array.size());
            for (JsonNode child : array) {
                copy.add(deconstruct(child, attachments));
            }
            return copy;
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                copy.set(e.getKey(), deconstruct(e.getValue(), attachments));
            }
            return copy;
        }
        return node;
    }
}
