package dev.herald.engineio.parser;

import dev.herald.engineio.Message;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Encodes and decodes single Engine.IO v4 packets.
 *
 * <p>Text form: the type digit followed by the data ({@code 4hello}, {@code 2probe}). A binary
 * message is a WebSocket binary frame holding the raw bytes, with no type prefix; inside a text
 * payload (polling) it is {@code b} followed by standard base64.
 *
 * <p>Decoding throws only {@link MalformedPacketException}.
 */
public final class PacketCodec {

    private PacketCodec() {}

    /** Decodes one text packet, such as a WebSocket text frame or one part of a polling payload. */
    public static Packet decodeText(String encoded) {
        if (encoded.isEmpty()) {
            throw new MalformedPacketException("empty packet");
        }
        char first = encoded.charAt(0);
        if (first == 'b') {
            return Packet.message(Message.binary(decodeBase64(encoded, 1)));
        }
        PacketType type =
                PacketType.fromDigit(first).orElseThrow(() -> new MalformedPacketException("unknown packet type"));
        String data = encoded.substring(1);
        return type == PacketType.MESSAGE ? Packet.message(Message.text(data)) : Packet.of(type, data);
    }

    /** Decodes a WebSocket binary frame: always a binary message. */
    public static Packet decodeBinary(byte[] frame) {
        return Packet.message(Message.binary(frame));
    }

    /**
     * The text form of a packet, as it appears in a polling payload or a WebSocket text frame;
     * binary messages become {@code b} + base64.
     */
    public static String encodeText(Packet packet) {
        if (packet.type() == PacketType.MESSAGE) {
            Message m = packet.message().orElseThrow();
            return m.isBinary() ? "b" + Base64.getEncoder().encodeToString(m.binary()) : "4" + m.text();
        }
        return packet.type().digit() + packet.data();
    }

    /**
     * The UTF-8 bytes of the WebSocket text frame for a non-binary packet. For a message packet
     * these are the bytes cached in the {@link Message}, shared by every recipient.
     */
    public static byte[] webSocketText(Packet packet) {
        if (packet.type() == PacketType.MESSAGE) {
            return packet.message().orElseThrow().webSocketTextFrame();
        }
        return (packet.type().digit() + packet.data()).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] decodeBase64(String s, int from) {
        try {
            // Line breaks are skipped (and nothing else): the official Java client
            // (engine.io-client 2.1) wraps its base64 with Android's DEFAULT flags, ending it with
            // "\n", which Node accepts. Any other stray character is still malformed.
            String body = s.substring(from);
            if (body.indexOf('\n') >= 0 || body.indexOf('\r') >= 0) {
                body = body.replace("\r", "").replace("\n", "");
            }
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new MalformedPacketException("invalid base64 in binary packet");
        }
    }
}
