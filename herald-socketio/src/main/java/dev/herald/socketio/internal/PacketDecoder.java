package dev.herald.socketio.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.engineio.Message;
import dev.herald.socketio.ReservedEvents;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import dev.herald.socketio.parser.Parser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes the Engine.IO messages of one connection into Socket.IO packets, reassembling binary
 * attachments.
 *
 * <p>Threading: one instance per connection, used only by that connection's home event loop. It
 * parses the header and the JSON tree (which validates the payload); turning arguments into
 * application types happens later, on the handler's thread.
 */
public final class PacketDecoder implements Parser.Decoder {

    /** No limit on the total size of attachments or on namespace names. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final int maxAttachments;
    private final long maxAttachmentBytes;
    private final int maxNamespaceLength;

    // Owned by the home event loop: the binary packet waiting for its attachments.
    private Packet pending;
    private int expectedAttachments;
    private List<byte[]> attachments;
    private long attachmentBytes;

    /** @param maxAttachments the most attachments one packet may announce */
    public PacketDecoder(int maxAttachments) {
        this(maxAttachments, UNLIMITED, Integer.MAX_VALUE);
    }

    /**
     * @param maxAttachments the most attachments one packet may announce
     * @param maxAttachmentBytes the most bytes all attachments of one packet may hold together
     * @param maxNamespaceLength the longest namespace name a packet may carry, in chars
     */
    public PacketDecoder(int maxAttachments, long maxAttachmentBytes, int maxNamespaceLength) {
        this.maxAttachments = maxAttachments;
        this.maxAttachmentBytes = maxAttachmentBytes;
        this.maxNamespaceLength = maxNamespaceLength;
    }

    /**
     * Feeds one message.
     *
     * @return the packet once complete; empty while a binary packet still waits for attachments
     * @throws PacketParseException when the input is not valid; the connection must be closed
     */
    @Override
    public Optional<Packet> decode(Message message) throws PacketParseException {
        if (message.isBinary()) {
            if (pending == null) {
                throw new PacketParseException("got binary data when not reconstructing a packet");
            }
            byte[] bytes = message.binary();
            attachmentBytes += bytes.length;
            if (attachmentBytes > maxAttachmentBytes) {
                reset();
                throw new PacketParseException("attachments too large");
            }
            attachments.add(bytes);
            if (attachments.size() < expectedAttachments) {
                return Optional.empty();
            }
            Packet done = reconstruct(pending, attachments);
            reset();
            return Optional.of(done);
        }
        if (pending != null) {
            throw new PacketParseException("got plaintext data when reconstructing a packet");
        }
        String str = message.text();
        Header header = parseHeader(str, maxAttachments, maxNamespaceLength);
        Packet packet = header.packet;
        if (header.attachments > 0) {
            pending = packet;
            expectedAttachments = header.attachments;
            // Sized for the usual few: the count was checked against maxAttachments, which a
            // user may have set very high.
            attachments = new ArrayList<>(Math.min(header.attachments, 16));
            attachmentBytes = 0;
            return Optional.empty();
        }
        if (packet.type() == PacketType.BINARY_EVENT || packet.type() == PacketType.BINARY_ACK) {
            return Optional.of(reconstruct(packet, List.of()));
        }
        return Optional.of(packet);
    }

    /** Drops a half-received binary packet, for example when the connection closes. */
    @Override
    public void reset() {
        pending = null;
        attachments = null;
        expectedAttachments = 0;
        attachmentBytes = 0;
    }

    private record Header(Packet packet, int attachments) {}

    /** Parses one text packet; exposed for tests and tools. */
    static Header parseHeader(String str, int maxAttachments, int maxNamespaceLength) throws PacketParseException {
        if (str.isEmpty()) {
            throw new PacketParseException("empty packet");
        }
        PacketType type =
                PacketType.fromChar(str.charAt(0)).orElseThrow(() -> new PacketParseException("unknown packet type"));
        int i = 0;
        int n = str.length();
        int attachments = 0;
        if (type == PacketType.BINARY_EVENT || type == PacketType.BINARY_ACK) {
            int start = i + 1;
            while (++i < n && str.charAt(i) != '-') {
                if (!Character.isDigit(str.charAt(i))) {
                    throw new PacketParseException("illegal attachments");
                }
            }
            if (i >= n || i == start || i - start > 9) {
                throw new PacketParseException("illegal attachments");
            }
            attachments = Integer.parseInt(str, start, i, 10);
            if (attachments > maxAttachments) {
                throw new PacketParseException("too many attachments");
            }
        }
        String nsp = "/";
        if (i + 1 < n && str.charAt(i + 1) == '/') {
            int start = i + 1;
            while (++i < n && str.charAt(i) != ',') {
                // scan to the comma, or to the end: "40/random" is a valid connect
                if (i - start >= maxNamespaceLength) {
                    throw new PacketParseException("namespace name too long");
                }
            }
            nsp = str.substring(start, Math.min(i, n));
        }
        long id = Packet.NO_ID;
        if (i + 1 < n && Character.isDigit(str.charAt(i + 1))) {
            int start = i + 1;
            while (++i < n && Character.isDigit(str.charAt(i))) {
                // digits of the ack id
            }
            if (i - start > 15) {
                throw new PacketParseException("illegal id");
            }
            id = Long.parseLong(str, start, i, 10);
            i--;
        }
        JsonNode data = MissingNode.getInstance();
        if (++i < n) {
            try {
                data = Json.TREE_READER.readTree(str.substring(i));
            } catch (JsonProcessingException e) {
                throw new PacketParseException("invalid payload");
            }
            if (data == null || data.isMissingNode()) {
                throw new PacketParseException("invalid payload");
            }
        }
        if (!isPayloadValid(type, data)) {
            throw new PacketParseException("invalid payload");
        }
        return new Header(new Packet(type, nsp, data, id), attachments);
    }

    /** The payload rules of socket.io-parser, which socket.io-msgpack-parser shares. */
    static boolean isPayloadValid(PacketType type, JsonNode data) {
        return switch (type) {
            case CONNECT -> data.isMissingNode() || data.isObject();
            case DISCONNECT -> data.isMissingNode();
            case CONNECT_ERROR -> data.isTextual() || data.isObject();
            case EVENT, BINARY_EVENT ->
                data.isArray()
                        && !data.isEmpty()
                        && (data.get(0).isNumber()
                                || (data.get(0).isTextual()
                                        && !ReservedEvents.isReserved(
                                                data.get(0).textValue())));
            case ACK, BINARY_ACK -> data.isArray();
        };
    }

    private static Packet reconstruct(Packet packet, List<byte[]> attachments) throws PacketParseException {
        JsonNode data = fill(packet.data(), attachments);
        return new Packet(packet.type(), packet.nsp(), data, packet.id());
    }

    // Replaces each {"_placeholder":true,"num":n} by the n-th attachment, in place (the tree is
    // ours: it was parsed from this connection's bytes).
    private static JsonNode fill(JsonNode node, List<byte[]> attachments) throws PacketParseException {
        if (node instanceof ObjectNode object) {
            JsonNode marker = object.get("_placeholder");
            if (marker != null && marker.isBoolean() && marker.booleanValue()) {
                JsonNode num = object.get("num");
                if (num == null
                        || !num.canConvertToInt()
                        || !num.isIntegralNumber()
                        || num.intValue() < 0
                        || num.intValue() >= attachments.size()) {
                    throw new PacketParseException("illegal attachments");
                }
                return JsonNodeFactory.instance.binaryNode(attachments.get(num.intValue()));
            }
            Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                JsonNode replaced = fill(e.getValue(), attachments);
                if (replaced != e.getValue()) {
                    e.setValue(replaced);
                }
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int k = 0; k < array.size(); k++) {
                JsonNode child = array.get(k);
                JsonNode replaced = fill(child, attachments);
                if (replaced != child) {
                    array.set(k, replaced);
                }
            }
            return array;
        }
        return node;
    }
}
