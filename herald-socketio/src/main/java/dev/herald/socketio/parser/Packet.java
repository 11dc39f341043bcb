package dev.herald.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One decoded Socket.IO packet, as adapters see it.
 *
 * <p>The data is a Jackson tree. Binary attachments are already put back in place as
 * {@link com.fasterxml.jackson.databind.node.BinaryNode}s, so {@code BINARY_EVENT} and
 * {@code EVENT} differ only in whether the tree holds binary; the encoder picks the wire type.
 * A cluster adapter can therefore ship a packet to other nodes with any Jackson format
 * (MessagePack keeps the binary as {@code bin}).
 *
 * @param type the packet type
 * @param nsp  the namespace name, {@code "/"} for the main one
 * @param data the payload; {@link MissingNode} when the packet has none
 * @param id   the ack id, or {@link #NO_ID}
 */
public record Packet(PacketType type, String nsp, JsonNode data, long id) {

    /** The value of {@link #id()} when the packet carries no ack id. */
    public static final long NO_ID = -1;

    public Packet {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(nsp, "nsp");
        Objects.requireNonNull(data, "data");
    }

    /** A packet without ack id. */
    public Packet(PacketType type, String nsp, JsonNode data) {
        this(type, nsp, data, NO_ID);
    }

    /** A packet with no payload and no ack id. */
    public static Packet of(PacketType type, String nsp) {
        return new Packet(type, nsp, MissingNode.getInstance(), NO_ID);
    }

    /** Whether the packet carries an ack id. */
    public boolean hasId() {
        return id >= 0;
    }

    /** The ack id, if any. */
    public OptionalLong ackId() {
        return hasId() ? OptionalLong.of(id) : OptionalLong.empty();
    }

    /** Whether the packet has a payload. */
    public boolean hasData() {
        return !data.isMissingNode();
    }

    /** The same packet with another ack id. */
    public Packet withId(long newId) {
        return new Packet(type, nsp, data, newId);
    }

    @Override
    public String toString() {
        // Never the payload: logs must not carry user data.
        return "Packet[" + type + " " + nsp + (hasId() ? " id=" + id : "") + "]";
    }
}
