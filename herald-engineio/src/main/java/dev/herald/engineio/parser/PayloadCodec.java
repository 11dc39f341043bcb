package dev.herald.engineio.parser;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes Engine.IO v4 polling payloads: packets in text form separated by the
 * record separator {@code \u001e}, binary messages as {@code b} + base64.
 *
 * <p>Decoding throws only {@link MalformedPacketException}.
 */
public final class PayloadCodec {

    /** The record separator between packets of one payload. */
    public static final char SEPARATOR = '\u001e';

    private PayloadCodec() {}

    /** Encodes packets into one payload, in order. */
    public static String encode(List<Packet> packets) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < packets.size(); i++) {
            if (i > 0) {
                sb.append(SEPARATOR);
            }
            sb.append(PacketCodec.encodeText(packets.get(i)));
        }
        return sb.toString();
    }

    /** Decodes a payload; an empty payload or any empty part is malformed. */
    public static List<Packet> decode(String payload) {
        List<Packet> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = payload.indexOf(SEPARATOR, start);
            if (end < 0) {
                out.add(PacketCodec.decodeText(payload.substring(start)));
                return out;
            }
            out.add(PacketCodec.decodeText(payload.substring(start, end)));
            start = end + 1;
        }
    }

    /** Decodes a payload from its UTF-8 bytes; invalid UTF-8 is malformed. */
    public static List<Packet> decode(byte[] utf8) {
        return decode(strictUtf8(utf8));
    }

    /** Decodes UTF-8 strictly: invalid input is a {@link MalformedPacketException}. */
    public static String strictUtf8(byte[] utf8) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPacketException("payload is not valid UTF-8");
        }
    }
}
