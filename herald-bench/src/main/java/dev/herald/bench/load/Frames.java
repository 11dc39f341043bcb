package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Byte-level reading and writing of the few Socket.IO text frames the generator speaks.
 *
 * <p>The generator shares one core with nothing else, so it never turns a frame into a
 * {@code String} on the hot path: it looks at the first bytes and parses the decimal numbers it
 * needs in place.
 */
final class Frames {
    private Frames() {}

    /** Whether {@code buf}'s readable bytes start with the ASCII {@code prefix}. */
    static boolean startsWith(ByteBuf buf, String prefix) {
        int start = buf.readerIndex();
        if (buf.readableBytes() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buf.getByte(start + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The decimal number at {@code offset} bytes into the readable part, or -1 if there is no digit
     * there. Stops at the first non-digit.
     */
    static long number(ByteBuf buf, int offset) {
        int i = buf.readerIndex() + offset;
        int end = buf.writerIndex();
        long value = 0;
        int digits = 0;
        while (i < end && digits < 18) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            digits++;
            i++;
        }
        return digits == 0 ? -1 : value;
    }

    /** The ack id of a {@code 43<id>[...]} frame, or -1 if this is not an ack with an id. */
    static long ackId(ByteBuf buf) {
        return startsWith(buf, "43") ? number(buf, 2) : -1;
    }

    /** The frame {@code 42<id>["echo",<argument>]}; {@code argument} is JSON text (ASCII). */
    static ByteBuf echo(ByteBufAllocator alloc, long id, String argument) {
        ByteBuf buf = alloc.buffer(16 + argument.length());
        ByteBufUtil.writeAscii(buf, "42");
        ByteBufUtil.writeAscii(buf, Long.toString(id));
        ByteBufUtil.writeAscii(buf, "[\"echo\",");
        ByteBufUtil.writeAscii(buf, argument);
        buf.writeByte(']');
        return buf;
    }

    /** The ack the reference app answers to {@link #echo}: {@code 43<id>[<argument>]}. */
    static String echoAck(long id, String argument) {
        return "43" + id + "[" + argument + "]";
    }

    /**
     * The last argument of an event frame {@code 42[...,"<text>"]} when it is a string without
     * escapes (a connection state recovery offset), else empty.
     */
    static Optional<String> lastStringArgument(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex() - 1;
        if (end - start < 3 || buf.getByte(end) != ']' || buf.getByte(end - 1) != '"') {
            return Optional.empty();
        }
        int close = end - 1;
        for (int i = close - 1; i > start; i--) {
            byte b = buf.getByte(i);
            if (b == '"') {
                byte before = buf.getByte(i - 1);
                return before == ',' || before == '['
                        ? Optional.of(buf.toString(i + 1, close - i - 1, StandardCharsets.US_ASCII))
                        : Optional.empty();
            }
            if (b == '\\') {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The string value of {@code "name":"..."} in a frame (no escapes in the value), else empty. */
    static Optional<String> stringField(ByteBuf buf, String name) {
        String text = buf.toString(StandardCharsets.UTF_8);
        String key = "\"" + name + "\":\"";
        int at = text.indexOf(key);
        if (at < 0) {
            return Optional.empty();
        }
        int from = at + key.length();
        int to = text.indexOf('"', from);
        return to < 0 ? Optional.empty() : Optional.of(text.substring(from, to));
    }

    /** An ASCII frame body. */
    static ByteBuf ascii(ByteBufAllocator alloc, String text) {
        return ByteBufUtil.writeAscii(alloc, text);
    }

    /** How many decimal digits a non-negative number is written with: the length checks of acks and ticks. */
    static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }
}
