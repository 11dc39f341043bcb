package dev.herald.socketio;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.internal.Conversion;
import dev.herald.socketio.internal.Json;
import dev.herald.socketio.parser.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The arguments of one event (or of one ack), decoded lazily: each {@code get} converts that
 * argument with Jackson on the caller's thread. Binary arguments read as {@code byte[]} or
 * {@link java.nio.ByteBuffer}, also inside records and maps.
 *
 * <p>When the client asked for an acknowledgement, {@link #ack(Object...)} sends it, once.
 * Thread-safe.
 */
public final class EventArgs {

    private final ArrayNode args;
    // Where ack(...) sends its values; null when no acknowledgement was asked for.
    private final Consumer<ArrayNode> reply;
    private final AtomicBoolean acked = new AtomicBoolean();

    private EventArgs(ArrayNode args, Consumer<ArrayNode> reply) {
        this.args = args;
        this.reply = reply;
    }

    /** An event from a client; with an ack id, {@link #ack} answers it. */
    EventArgs(ArrayNode args, Socket socket, long ackId) {
        this(args, ackId == Packet.NO_ID ? null : values -> socket.outbox().sendAck(ackId, values));
    }

    /** Arguments without ack, for example the data of an ack received from a client. */
    static EventArgs of(ArrayNode args) {
        return new EventArgs(args, (Consumer<ArrayNode>) null);
    }

    /** Arguments whose {@link #ack} goes to {@code reply}, if there is one (a server-side emit's answer). */
    static EventArgs replyingTo(ArrayNode args, Optional<Consumer<ArrayNode>> reply) {
        return new EventArgs(args, reply.orElse(null));
    }

    /** How many arguments there are. */
    public int size() {
        return args.size();
    }

    /** Whether there is no argument. */
    public boolean isEmpty() {
        return args.isEmpty();
    }

    /**
     * Argument {@code index} converted to {@code type}.
     *
     * @throws IndexOutOfBoundsException if there is no such argument
     * @throws IllegalArgumentException if it does not convert
     */
    public <T> T get(int index, Class<T> type) {
        JsonNode node = node(index);
        if (type == JsonNode.class) {
            return type.cast(node);
        }
        return Conversion.convert(node, type, "argument " + index);
    }

    /** Argument {@code index} converted to a generic type, for example {@code List<MyRecord>}. */
    public <T> T get(int index, TypeReference<T> type) {
        return Conversion.convert(node(index), Json.MAPPER.getTypeFactory().constructType(type), "argument " + index);
    }

    /** Argument {@code index} as text (numbers and booleans are rendered). */
    public String string(int index) {
        return node(index).asText();
    }

    /** Argument {@code index} as a Jackson tree; binary is a {@code BinaryNode}. */
    public JsonNode node(int index) {
        if (index < 0 || index >= args.size()) {
            throw new IndexOutOfBoundsException("argument " + index + " of " + args.size());
        }
        return args.get(index);
    }

    /** Every argument as a Jackson tree. */
    public List<JsonNode> nodes() {
        List<JsonNode> out = new ArrayList<>(args.size());
        args.forEach(out::add);
        return List.copyOf(out);
    }

    /** The arguments as a JSON array (shared, do not modify). */
    ArrayNode array() {
        return args;
    }

    /** Whether the client asked for an acknowledgement that has not been sent yet. */
    public boolean ackPending() {
        return reply != null && !acked.get();
    }

    /** Whether the client asked for an acknowledgement. */
    public boolean ackRequested() {
        return reply != null;
    }

    /**
     * Sends the acknowledgement with these arguments. Only the first call sends; later calls and
     * calls on events without ack id return false.
     */
    public boolean ack(Object... values) {
        if (reply == null || !acked.compareAndSet(false, true)) {
            return false;
        }
        reply.accept(Json.arrayOf(values));
        return true;
    }

    @Override
    public String toString() {
        return "EventArgs[" + args.size() + " args" + (ackRequested() ? ", ack requested" : "") + "]";
    }
}
