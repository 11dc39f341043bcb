package dev.herald.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * The MessagePack subset that {@code notepack.io} 3.x writes and reads, on Jackson trees.
 *
 * <p>Node's redis adapter and emitter encode with notepack 3.x, and {@code socket.io-msgpack-parser}
 * 3.x (the Socket.IO packet codec that {@link MsgPackParser} speaks) with notepack 2.2; both write
 * JSON-like values the same way, so Herald must produce the same bytes:
 * the smallest integer form for any whole number (also for a whole {@code double}, because
 * JavaScript has only one number type), {@code float 64} for every other number, {@code str 8} for
 * strings of 32 to 255 bytes, and {@code bin} for binary. Binary is a {@link
 * com.fasterxml.jackson.databind.node.BinaryNode} in the tree, which is also what
 * {@code ObjectMapper.valueToTree(byte[])} gives.
 *
 * <p>Decoding accepts every MessagePack format, and maps notepack's extensions as Node sees them
 * after {@code JSON.stringify}: {@code undefined} (fixext 1, type 0) is dropped from maps and
 * becomes null in arrays; a timestamp (type -1, notepack 3) or a {@code Date} (fixext 8, type 0,
 * notepack 2) becomes its ISO-8601 string; any other ext of type 0 is an {@code ArrayBuffer}, so
 * binary.
 *
 * <p>Stateless and thread-safe.
 */
public final class MsgPack {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);
    private static final int MAX_DEPTH = 1000;

    private MsgPack() {}

    /** Encodes a tree exactly as notepack.io encodes the equivalent JavaScript value. */
    public static byte[] encode(JsonNode value) {
        var out = new ByteArrayOutputStream(64);
        write(out, value);
        return out.toByteArray();
    }

    /**
     * Decodes one MessagePack value.
     *
     * @throws IllegalArgumentException if the bytes are truncated, malformed, nested deeper than
     *     1000, or followed by more
     */
    public static JsonNode decode(byte[] bytes) {
        var in = ByteBuffer.wrap(bytes);
        try {
            var value = read(in, 0);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after MessagePack value");
            }
            return value == UNDEFINED ? NODES.nullNode() : value;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated MessagePack value", e);
        }
    }

    // ---- encoding ----

    private static void write(ByteArrayOutputStream out, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            out.write(0xc0);
        } else if (value.isBoolean()) {
            out.write(value.booleanValue() ? 0xc3 : 0xc2);
        } else if (value.isTextual()) {
            writeString(out, value.textValue());
        } else if (value.isBinary()) {
            writeBinary(out, binaryOf(value));
        } else if (value.isIntegralNumber()) {
            writeIntegral(out, value.bigIntegerValue());
        } else if (value.isNumber()) {
            writeNumber(out, value.doubleValue());
        } else if (value.isArray()) {
            writeHeader(out, value.size(), 0x90, 0x10, 0xdc, 0xdd);
            for (var element : value) {
                write(out, element);
            }
        } else if (value.isObject()) {
            writeHeader(out, value.size(), 0x80, 0x10, 0xde, 0xdf);
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                var field = it.next();
                writeString(out, field.getKey());
                write(out, field.getValue());
            }
        } else if (value.isPojo()) {
            var pojo = ((POJONode) value).getPojo();
            if (pojo instanceof byte[] bytes) {
                writeBinary(out, bytes);
            } else {
                throw new IllegalArgumentException(
                        "cannot encode " + pojo.getClass().getName());
            }
        } else {
            throw new IllegalArgumentException("cannot encode node type " + value.getNodeType());
        }
    }

    private static byte[] binaryOf(JsonNode value) {
        try {
            return value.binaryValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int n = utf8.length;
        if (n < 0x20) {
            out.write(0xa0 | n);
        } else if (n < 0x100) {
            out.write(0xd9);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0xda);
            writeBE(out, n, 2);
        } else {
            out.write(0xdb);
            writeBE(out, n, 4);
        }
        out.writeBytes(utf8);
    }

    private static void writeBinary(ByteArrayOutputStream out, byte[] bytes) {
        int n = bytes.length;
        if (n < 0x100) {
            out.write(0xc4);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0xc5);
            writeBE(out, n, 2);
        } else {
            out.write(0xc6);
            writeBE(out, n, 4);
        }
        out.writeBytes(bytes);
    }

    private static void writeHeader(
            ByteArrayOutputStream out, int size, int fixBase, int fixLimit, int op16, int op32) {
        if (size < fixLimit) {
            out.write(fixBase | size);
        } else if (size < 0x10000) {
            out.write(op16);
            writeBE(out, size, 2);
        } else {
            out.write(op32);
            writeBE(out, size, 4);
        }
    }

    private static void writeNumber(ByteArrayOutputStream out, double d) {
        // JavaScript has one number type: notepack writes a whole, finite number as an integer.
        if (Double.isFinite(d) && Math.floor(d) == d && Math.abs(d) < 0x1p63) {
            writeIntegral(out, BigInteger.valueOf((long) d));
        } else {
            out.write(0xcb);
            writeBE(out, Double.doubleToLongBits(d), 8);
        }
    }

    private static void writeIntegral(ByteArrayOutputStream out, BigInteger big) {
        if (big.bitLength() > 63) {
            if (big.signum() > 0 && big.compareTo(UINT64_LIMIT) < 0) {
                out.write(0xcf);
                writeBE(out, big.longValue(), 8);
            } else {
                writeNumber(out, big.doubleValue());
            }
            return;
        }
        long v = big.longValue();
        if (v >= 0) {
            if (v < 0x80) {
                out.write((int) v);
            } else if (v < 0x100) {
                out.write(0xcc);
                out.write((int) v);
            } else if (v < 0x10000) {
                out.write(0xcd);
                writeBE(out, v, 2);
            } else if (v < 0x100000000L) {
                out.write(0xce);
                writeBE(out, v, 4);
            } else {
                out.write(0xcf);
                writeBE(out, v, 8);
            }
        } else if (v >= -0x20) {
            out.write((int) v & 0xff);
        } else if (v >= -0x80) {
            out.write(0xd0);
            out.write((int) v & 0xff);
        } else if (v >= -0x8000) {
            out.write(0xd1);
            writeBE(out, v, 2);
        } else if (v >= -0x80000000L) {
            out.write(0xd2);
            writeBE(out, v, 4);
        } else {
            out.write(0xd3);
            writeBE(out, v, 8);
        }
    }

    private static void writeBE(ByteArrayOutputStream out, long v, int bytes) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift) & 0xff);
        }
    }

    // ---- decoding ----

    /** Marker for notepack's encoding of JavaScript {@code undefined}. */
    private static final JsonNode UNDEFINED = NODES.missingNode();

    private static JsonNode read(ByteBuffer in, int depth) {
        int b = in.get() & 0xff;
        if (b <= 0x7f) {
            return NODES.numberNode(b);
        }
        if (b >= 0xe0) {
            return NODES.numberNode(b - 0x100);
        }
        if ((b & 0xe0) == 0xa0) {
            return readString(in, b & 0x1f);
        }
        if ((b & 0xf0) == 0x90) {
            return readArray(in, b & 0x0f, depth);
        }
        if ((b & 0xf0) == 0x80) {
            return readMap(in, b & 0x0f, depth);
        }
        return switch (b) {
            case 0xc0 -> NODES.nullNode();
            case 0xc2 -> NODES.booleanNode(false);
            case 0xc3 -> NODES.booleanNode(true);
            case 0xc4 -> NODES.binaryNode(bytes(in, in.get() & 0xff));
            case 0xc5 -> NODES.binaryNode(bytes(in, in.getShort() & 0xffff));
            case 0xc6 -> NODES.binaryNode(bytes(in, length32(in)));
            case 0xc7 -> readExt(in, in.get() & 0xff, false);
            case 0xc8 -> readExt(in, in.getShort() & 0xffff, false);
            case 0xc9 -> readExt(in, length32(in), false);
            case 0xca -> NODES.numberNode((double) in.getFloat());
            case 0xcb -> NODES.numberNode(in.getDouble());
            case 0xcc -> NODES.numberNode(in.get() & 0xff);
            case 0xcd -> NODES.numberNode(in.getShort() & 0xffff);
            case 0xce -> integral(in.getInt() & 0xffffffffL);
            case 0xcf -> {
                long v = in.getLong();
                yield v >= 0 ? integral(v) : NODES.numberNode(new BigInteger(Long.toUnsignedString(v)));
            }
            case 0xd0 -> NODES.numberNode((int) in.get());
            case 0xd1 -> NODES.numberNode((int) in.getShort());
            case 0xd2 -> NODES.numberNode(in.getInt());
            case 0xd3 -> integral(in.getLong());
            case 0xd4 -> readExt(in, 1, true);
            case 0xd5 -> readExt(in, 2, true);
            case 0xd6 -> readExt(in, 4, true);
            case 0xd7 -> readExt(in, 8, true);
            case 0xd8 -> readExt(in, 16, true);
            case 0xd9 -> readString(in, in.get() & 0xff);
            case 0xda -> readString(in, in.getShort() & 0xffff);
            case 0xdb -> readString(in, length32(in));
            case 0xdc -> readArray(in, in.getShort() & 0xffff, depth);
            case 0xdd -> readArray(in, length32(in), depth);
            case 0xde -> readMap(in, in.getShort() & 0xffff, depth);
            case 0xdf -> readMap(in, length32(in), depth);
            default -> throw new IllegalArgumentException("unknown MessagePack type 0x" + Integer.toHexString(b));
        };
    }

    private static JsonNode integral(long v) {
        return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
    }

    private static int length32(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("MessagePack length " + Integer.toUnsignedString(n) + " exceeds input");
        }
        return n;
    }

    private static byte[] bytes(ByteBuffer in, int n) {
        if (n > in.remaining()) {
            throw new IllegalArgumentException("MessagePack length " + n + " exceeds input");
        }
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    private static JsonNode readString(ByteBuffer in, int n) {
        return NODES.textNode(new String(bytes(in, n), StandardCharsets.UTF_8));
    }

    private static ArrayNode readArray(ByteBuffer in, int n, int depth) {
        checkCount(in, n);
        checkDepth(depth);
        var array = NODES.arrayNode(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            var element = read(in, depth + 1);
            array.add(element == UNDEFINED ? NODES.nullNode() : element);
        }
        return array;
    }

    private static ObjectNode readMap(ByteBuffer in, int n, int depth) {
        checkCount(in, n);
        checkDepth(depth);
        var map = NODES.objectNode();
        for (int i = 0; i < n; i++) {
            var key = read(in, depth + 1);
            var value = read(in, depth + 1);
            if (value != UNDEFINED) {
                map.set(key.isTextual() ? key.textValue() : key.toString(), value);
            }
        }
        return map;
    }

    private static void checkDepth(int depth) {
        // Clients send these bytes: a megabyte of 0x91 must not overflow the event loop's stack.
        // Jackson's default nesting limit, so both parsers accept the same trees.
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("MessagePack nesting deeper than " + MAX_DEPTH);
        }
    }

    private static void checkCount(ByteBuffer in, int n) {
        // every element takes at least one byte: refuse counts the input cannot hold
        if (n > in.remaining()) {
            throw new IllegalArgumentException("MessagePack count " + n + " exceeds input");
        }
    }

    // fixed: the fixext forms, which notepack uses for undefined (1 byte) and, in 2.x, Date
    // (8 bytes); an ArrayBuffer always takes the ext 8/16/32 forms, even when 1 or 8 bytes long.
    private static JsonNode readExt(ByteBuffer in, int length, boolean fixed) {
        int type = in.get();
        byte[] data = bytes(in, length);
        if (type == 0 && fixed && length == 1) {
            return UNDEFINED;
        }
        if (type == 0 && fixed && length == 8) {
            long millis = ByteBuffer.wrap(data).getLong();
            return NODES.textNode(Instant.ofEpochMilli(millis).toString());
        }
        if (type == 0) {
            return NODES.binaryNode(data);
        }
        if (type == -1) {
            return NODES.textNode(timestamp(ByteBuffer.wrap(data), length).toString());
        }
        var pair = NODES.arrayNode();
        pair.add(type);
        pair.add(data);
        return pair;
    }

    private static Instant timestamp(ByteBuffer data, int length) {
        return switch (length) {
            case 4 -> Instant.ofEpochSecond(data.getInt() & 0xffffffffL);
            case 8 -> {
                long v = data.getLong();
                yield Instant.ofEpochSecond(v & 0x3ffffffffL, v >>> 34);
            }
            case 12 -> {
                int nanos = data.getInt();
                yield Instant.ofEpochSecond(data.getLong(), nanos);
            }
            default -> throw new IllegalArgumentException("bad timestamp length " + length);
        };
    }
}
