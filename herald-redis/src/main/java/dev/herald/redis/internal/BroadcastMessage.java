package dev.herald.redis.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.internal.MsgPack;
import java.util.List;
import java.util.Objects;

/**
 * A broadcast as it travels on a broadcast channel: the msgpack array {@code [uid, packet, opts]}.
 *
 * <p>{@code packet} is the Socket.IO packet object {@code {type, data, nsp, id?}} with binary as
 * msgpack {@code bin}; {@code opts} is {@code {rooms, except, flags}}. Node's adapter writes the
 * opts keys in that order, Node's emitter writes {@code rooms, flags, except}: {@link #encode}
 * follows the adapter, {@link #encodeAsEmitter} the emitter, so both can be matched byte for byte.
 *
 * @param uid the sending node's id ({@code "emitter"} for an emitter)
 * @param packet the Socket.IO packet
 * @param rooms the rooms to reach (none: the whole namespace)
 * @param except the rooms to skip
 * @param flags the broadcast flags ({@code volatile}, {@code compress}, {@code timeout}, …)
 */
public record BroadcastMessage(
        String uid, ObjectNode packet, List<String> rooms, List<String> except, ObjectNode flags) {

    /** The uid Node's emitter sends. */
    public static final String EMITTER_UID = "emitter";

    public BroadcastMessage {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(packet, "packet");
        rooms = List.copyOf(rooms);
        except = List.copyOf(except);
        Objects.requireNonNull(flags, "flags");
    }

    /** Encodes as {@code @socket.io/redis-adapter} does. */
    public byte[] encode() {
        var opts = Wire.NODES.objectNode();
        opts.set("rooms", Wire.strings(rooms));
        opts.set("except", Wire.strings(except));
        opts.set("flags", flags);
        return encode(opts);
    }

    /** Encodes as {@code @socket.io/redis-emitter} does. */
    public byte[] encodeAsEmitter() {
        var opts = Wire.NODES.objectNode();
        opts.set("rooms", Wire.strings(rooms));
        opts.set("flags", flags);
        opts.set("except", Wire.strings(except));
        return encode(opts);
    }

    private byte[] encode(ObjectNode opts) {
        var array = JsonNodeFactory.instance.arrayNode(3);
        array.add(uid);
        array.add(packet);
        array.add(opts);
        return MsgPack.encode(array);
    }

    /**
     * Decodes a broadcast; a packet without {@code nsp} is for {@code /}, as Node reads it.
     *
     * @throws IllegalArgumentException if the bytes are not a broadcast message
     */
    public static BroadcastMessage decode(byte[] bytes) {
        var root = MsgPack.decode(bytes);
        if (!root.isArray()
                || root.size() < 3
                || !root.get(1).isObject()
                || !root.get(2).isObject()) {
            throw new IllegalArgumentException("not a broadcast message");
        }
        var packet = (ObjectNode) root.get(1);
        if (!packet.has("nsp")) {
            packet.put("nsp", "/");
        }
        var opts = root.get(2);
        var flags = opts.get("flags");
        return new BroadcastMessage(
                root.get(0).asText(),
                packet,
                Wire.stringList(opts.get("rooms")),
                Wire.stringList(opts.get("except")),
                flags != null && flags.isObject() ? (ObjectNode) flags : Wire.NODES.objectNode());
    }
}
