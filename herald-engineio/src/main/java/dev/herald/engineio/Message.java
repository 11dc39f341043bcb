package dev.herald.engineio;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The payload of one Engine.IO {@code message} packet (type 4): either text or binary.
 *
 * <p>Immutable and safe to share: a broadcast builds one {@code Message} and hands the same
 * instance to every recipient, so its wire form is computed once and the same bytes are written
 * to every connection. The cached encodings are computed lazily on first use by any thread; the
 * race is benign because each thread computes identical bytes.
 */
public final class Message {

    private final String text;
    private final byte[] binary;
    private final boolean compress;

    // Lazily cached wire forms; see class comment for why unsynchronized publication is fine.
    private volatile byte[] wsTextFrame;

    private Message(String text, byte[] binary, boolean compress) {
        this.text = text;
        this.binary = binary;
        this.compress = compress;
    }

    /** A text message. */
    public static Message text(String text) {
        return new Message(Objects.requireNonNull(text, "text"), null, true);
    }

    /** A binary message. The array is not copied; callers must not mutate it afterwards. */
    public static Message binary(byte[] data) {
        return new Message(null, Objects.requireNonNull(data, "data"), true);
    }

    /**
     * This message with its compress flag set (JS {@code socket.send(data, {compress})}): with
     * false, transports send it as it is even where compression is on (a polling answer made only
     * of such messages, a WebSocket frame). Returns this message when the flag is unchanged.
     */
    public Message compress(boolean value) {
        return value == compress ? this : new Message(text, binary, value);
    }

    /** Whether transports may compress this message; true unless {@link #compress(boolean)} said otherwise. */
    public boolean compress() {
        return compress;
    }

    /** Whether this is a binary message (else text). */
    public boolean isBinary() {
        return binary != null;
    }

    /** The text; throws if this is a binary message. */
    public String text() {
        if (text == null) {
            throw new IllegalStateException("binary message");
        }
        return text;
    }

    /** The bytes, not copied; throws if this is a text message. Callers must not mutate them. */
    public byte[] binary() {
        if (binary == null) {
            throw new IllegalStateException("text message");
        }
        return binary;
    }

    /**
     * The UTF-8 bytes of the WebSocket text frame for this message, {@code '4'} followed by the
     * text. Computed once and shared by every recipient; callers must not mutate the array.
     */
    public byte[] webSocketTextFrame() {
        byte[] frame = wsTextFrame;
        if (frame == null) {
            frame = ("4" + text()).getBytes(StandardCharsets.UTF_8);
            wsTextFrame = frame;
        }
        return frame;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m
                && compress == m.compress
                && Objects.equals(text, m.text)
                && Arrays.equals(binary, m.binary);
    }

    @Override
    public int hashCode() {
        return text != null ? text.hashCode() : Arrays.hashCode(binary);
    }

    @Override
    public String toString() {
        // Never the payload: logs must not carry user data (see STYLE.md, logging).
        return binary != null
                ? "Message[binary " + binary.length + " bytes]"
                : "Message[text " + text.length() + " chars]";
    }
}
