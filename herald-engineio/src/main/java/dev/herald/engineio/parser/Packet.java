package dev.herald.engineio.parser;

import dev.herald.engineio.Message;
import java.util.Objects;
import java.util.Optional;

/**
 * One Engine.IO packet: a type and an optional payload. A {@link PacketType#MESSAGE} packet
 * carries a {@link Message} (text or binary); the other types carry an optional text (for example
 * {@code probe} in {@code 2probe}, or the handshake JSON in {@code 0{...}}).
 *
 * <p>Immutable. The message packet keeps the {@link Message} itself so its cached WebSocket frame
 * is reused for every recipient of a broadcast.
 */
public final class Packet {

    /** {@code 2}: a heartbeat ping with no data. */
    public static final Packet PING = new Packet(PacketType.PING, "", null);
    /** {@code 3}: a heartbeat pong with no data. */
    public static final Packet PONG = new Packet(PacketType.PONG, "", null);
    /** {@code 1}: close. */
    public static final Packet CLOSE = new Packet(PacketType.CLOSE, "", null);
    /** {@code 5}: upgrade. */
    public static final Packet UPGRADE = new Packet(PacketType.UPGRADE, "", null);
    /** {@code 6}: noop. */
    public static final Packet NOOP = new Packet(PacketType.NOOP, "", null);
    /** {@code 2probe}: the upgrade probe the client sends on the new transport. */
    public static final Packet PING_PROBE = new Packet(PacketType.PING, "probe", null);
    /** {@code 3probe}: the server's answer to the probe. */
    public static final Packet PONG_PROBE = new Packet(PacketType.PONG, "probe", null);

    private final PacketType type;
    private final String data;
    private final Message message;

    private Packet(PacketType type, String data, Message message) {
        this.type = type;
        this.data = data;
        this.message = message;
    }

    /** A control packet (anything but MESSAGE) with text data, possibly empty. */
    public static Packet of(PacketType type, String data) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (type == PacketType.MESSAGE) {
            return new Packet(type, "", Message.text(data));
        }
        return new Packet(type, data, null);
    }

    /** A control packet with no data. */
    public static Packet of(PacketType type) {
        return of(type, "");
    }

    /** A MESSAGE packet carrying {@code message}. */
    public static Packet message(Message message) {
        return new Packet(PacketType.MESSAGE, "", Objects.requireNonNull(message, "message"));
    }

    /** The packet type. */
    public PacketType type() {
        return type;
    }

    /** The text data of a control packet; empty for MESSAGE packets (use {@link #message()}). */
    public String data() {
        return data;
    }

    /** The message of a MESSAGE packet. */
    public Optional<Message> message() {
        return Optional.ofNullable(message);
    }

    /** True for a MESSAGE packet whose message is binary. */
    public boolean isBinary() {
        return message != null && message.isBinary();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Packet p && type == p.type && data.equals(p.data) && Objects.equals(message, p.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, data, message);
    }

    @Override
    public String toString() {
        // Never the payload (STYLE.md, logging).
        return message != null
                ? "Packet[" + type + " " + message + "]"
                : "Packet[" + type + " " + data.length() + " chars]";
    }
}
