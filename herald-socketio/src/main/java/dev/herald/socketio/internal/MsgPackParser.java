package dev.herald.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.engineio.Message;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import dev.herald.socketio.parser.Parser;
import java.util.List;
import java.util.Optional;

/**
 * {@code socket.io-msgpack-parser} 3.x: each packet is one binary Engine.IO message holding the
 * MessagePack map {@code {type, data, nsp, id}} ({@code data} and {@code id} only when present),
 * encoded as its notepack.io does. Binary values stay in place as {@code bin}, so there are no
 * attachments and only the types 0 to 4 exist on the wire.
 *
 * <p>Decoding checks the packet's shape as the npm decoder does (an integer type from 0 to 4, a
 * string namespace, an integer id), plus the payload rules of the default parser (an EVENT is a
 * non-empty array whose first element is a name that is not reserved), and ignores other keys:
 * socket.io-client adds {@code options} to what it sends.
 *
 * <p>Stateless; its decoders too, so one instance serves every connection.
 */
public final class MsgPackParser implements Parser {

    public static final MsgPackParser INSTANCE = new MsgPackParser();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final PacketType[] WIRE_TYPES = {
        PacketType.CONNECT, PacketType.DISCONNECT, PacketType.EVENT, PacketType.ACK, PacketType.CONNECT_ERROR
    };

    private MsgPackParser() {}

    @Override
    public String name() {
        return "msgpack";
    }

    @Override
    public List<Message> encode(Packet packet) {
        ObjectNode map = NODES.objectNode();
        map.put("type", wireType(packet.type()));
        if (packet.hasData()) {
            // Shared, not copied: the encoder only reads the tree.
            map.set("data", packet.data());
        }
        map.put("nsp", packet.nsp());
        if (packet.hasId()) {
            map.put("id", packet.id());
        }
        return List.of(Message.binary(MsgPack.encode(map)));
    }

    private static int wireType(PacketType type) {
        return switch (type) {
            case BINARY_EVENT -> PacketType.EVENT.code();
            case BINARY_ACK -> PacketType.ACK.code();
            default -> type.code();
        };
    }

    @Override
    public Parser.Decoder newDecoder(SocketIoOptions options) {
        int maxNamespaceLength = options.maxNamespaceLength();
        return new Parser.Decoder() {
            @Override
            public Optional<Packet> decode(Message message) {
                return Optional.of(MsgPackParser.decode(message, maxNamespaceLength));
            }

            @Override
            public void reset() {
                // Nothing is ever half-received: one message is one packet.
            }
        };
    }

    /** Decodes one message into a packet; exposed for tests. */
    static Packet decode(Message message, int maxNamespaceLength) throws PacketParseException {
        if (!message.isBinary()) {
            throw new PacketParseException("text message for the msgpack parser");
        }
        JsonNode root;
        try {
            root = MsgPack.decode(message.binary());
        } catch (IllegalArgumentException e) {
            throw new PacketParseException("invalid MessagePack");
        }
        if (!root.isObject()) {
            throw new PacketParseException("packet is not a map");
        }
        JsonNode type = root.path("type");
        if (!type.isIntegralNumber()
                || !type.canConvertToInt()
                || type.intValue() < 0
                || type.intValue() >= WIRE_TYPES.length) {
            throw new PacketParseException("invalid packet type");
        }
        JsonNode nsp = root.path("nsp");
        if (!nsp.isTextual()) {
            throw new PacketParseException("invalid namespace");
        }
        if (nsp.textValue().length() > maxNamespaceLength) {
            throw new PacketParseException("namespace name too long");
        }
        JsonNode id = root.path("id");
        long ackId = Packet.NO_ID;
        if (!id.isMissingNode()) {
            // JavaScript's Number.isInteger, and a value the default parser would also accept.
            if (!isWhole(id) || id.asLong() < 0 || id.asLong() >= 1_000_000_000_000_000L) {
                throw new PacketParseException("invalid packet id");
            }
            ackId = id.asLong();
        }
        PacketType packetType = WIRE_TYPES[type.intValue()];
        JsonNode data = root.has("data") ? root.get("data") : MissingNode.getInstance();
        if (!PacketDecoder.isPayloadValid(packetType, data)) {
            throw new PacketParseException("invalid payload");
        }
        return new Packet(packetType, nsp.textValue(), data, ackId);
    }

    private static boolean isWhole(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.canConvertToLong();
        }
        return n.isDouble() && Double.isFinite(n.doubleValue()) && Math.floor(n.doubleValue()) == n.doubleValue();
    }

    @Override
    public String toString() {
        return name();
    }
}
