package dev.herald.engineio.parser;

import dev.herald.engineio.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Engine.IO v3 encodings, for the legacy clients that {@code allowEio3} admits (JS client 2.x
 * and 1.x).
 *
 * <ul>
 *   <li>Text payload (polling with {@code b64=1}): each packet as {@code <length>:<packet>}, the
 *       length counted in UTF-16 code units as JavaScript counts it; a binary message is
 *       {@code b4} + base64.
 *   <li>Binary payload (polling without {@code b64=1}, {@code application/octet-stream}): per
 *       packet, a marker byte (0 string, 1 binary), the decimal digits of the length as bytes
 *       0–9, the byte 255, then the packet: type digit + UTF-8 text, or type byte 4 + raw bytes.
 *   <li>WebSocket binary frame: type byte 4 followed by the data.
 * </ul>
 *
 * <p>Decoding throws only {@link MalformedPacketException}.
 */
public final class Eio3Codec {

    private static final int MAX_LENGTH_DIGITS = 10;

    private Eio3Codec() {}

    // ---- single packets ----

    /** Decodes one text packet; {@code b4...} is a base64 binary message. */
    public static Packet decodeText(String encoded) {
        if (encoded.startsWith("b")) {
            if (encoded.length() < 2 || encoded.charAt(1) != PacketType.MESSAGE.digit()) {
                throw new MalformedPacketException("binary packet of a type other than message");
            }
            return Packet.message(Message.binary(PacketCodec.decodeBase64(encoded, 2)));
        }
        return PacketCodec.decodeText(encoded);
    }

    /** The text form of a packet; a binary message becomes {@code b4} + base64. */
    public static String encodeText(Packet packet) {
        if (packet.isBinary()) {
            return "b4"
                    + Base64.getEncoder()
                            .encodeToString(packet.message().orElseThrow().binary());
        }
        return PacketCodec.encodeText(packet);
    }

    /** Decodes a WebSocket binary frame: a type byte, then the data. */
    public static Packet decodeWebSocketBinary(byte[] frame) {
        if (frame.length == 0 || frame[0] != 4) {
            throw new MalformedPacketException("binary frame without the message type byte");
        }
        byte[] data = new byte[frame.length - 1];
        System.arraycopy(frame, 1, data, 0, data.length);
        return Packet.message(Message.binary(data));
    }

    /** The WebSocket binary frame of a binary message: type byte 4, then the data. */
    public static byte[] encodeWebSocketBinary(byte[] data) {
        byte[] frame = new byte[data.length + 1];
        frame[0] = 4;
        System.arraycopy(data, 0, frame, 1, data.length);
        return frame;
    }

    // ---- text payloads ----

    /** Encodes packets as a v3 text payload. */
    public static String encodeTextPayload(List<Packet> packets) {
        StringBuilder sb = new StringBuilder();
        for (Packet p : packets) {
            String encoded = encodeText(p);
            sb.append(encoded.length()).append(':').append(encoded);
        }
        return sb.toString();
    }

    /** Decodes a v3 text payload; an empty payload is malformed. */
    public static List<Packet> decodeTextPayload(String payload) {
        if (payload.isEmpty()) {
            throw new MalformedPacketException("empty payload");
        }
        List<Packet> out = new ArrayList<>();
        int i = 0;
        while (i < payload.length()) {
            int colon = payload.indexOf(':', i);
            if (colon < 0 || colon == i || colon - i > MAX_LENGTH_DIGITS) {
                throw new MalformedPacketException("missing packet length");
            }
            long length = 0;
            for (int k = i; k < colon; k++) {
                char c = payload.charAt(k);
                if (c < '0' || c > '9') {
                    throw new MalformedPacketException("non-numeric packet length");
                }
                length = length * 10 + (c - '0');
            }
            int start = colon + 1;
            if (length > payload.length() - start) {
                throw new MalformedPacketException("packet length past the end of the payload");
            }
            out.add(decodeText(payload.substring(start, start + (int) length)));
            i = start + (int) length;
        }
        return out;
    }

    // ---- binary payloads ----

    /** Encodes packets as a v3 binary payload ({@code application/octet-stream}). */
    public static byte[] encodeBinaryPayload(List<Packet> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Packet p : packets) {
            byte[] body;
            if (p.isBinary()) {
                body = encodeWebSocketBinary(p.message().orElseThrow().binary());
                out.write(1);
            } else {
                body = PacketCodec.encodeText(p).getBytes(StandardCharsets.UTF_8);
                out.write(0);
            }
            String len = Integer.toString(body.length);
            for (int k = 0; k < len.length(); k++) {
                out.write(len.charAt(k) - '0');
            }
            out.write(0xFF);
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** Decodes a v3 binary payload. */
    public static List<Packet> decodeBinaryPayload(byte[] payload) {
        if (payload.length == 0) {
            throw new MalformedPacketException("empty payload");
        }
        List<Packet> out = new ArrayList<>();
        int i = 0;
        while (i < payload.length) {
            int marker = payload[i++] & 0xFF;
            if (marker != 0 && marker != 1) {
                throw new MalformedPacketException("bad packet marker in binary payload");
            }
            long length = 0;
            int digits = 0;
            while (true) {
                if (i >= payload.length) {
                    throw new MalformedPacketException("truncated length in binary payload");
                }
                int b = payload[i++] & 0xFF;
                if (b == 0xFF) {
                    break;
                }
                if (b > 9 || ++digits > MAX_LENGTH_DIGITS) {
                    throw new MalformedPacketException("bad length in binary payload");
                }
                length = length * 10 + b;
            }
            if (digits == 0 || length > payload.length - i) {
                throw new MalformedPacketException("packet length past the end of the payload");
            }
            byte[] body = new byte[(int) length];
            System.arraycopy(payload, i, body, 0, body.length);
            i += body.length;
            out.add(marker == 0 ? decodeText(PayloadCodec.strictUtf8(body)) : decodeWebSocketBinary(body));
        }
        return out;
    }
}
