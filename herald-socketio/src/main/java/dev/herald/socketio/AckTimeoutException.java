package dev.herald.socketio;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An acknowledgement did not arrive within its timeout, or the socket left before it came. For a
 * broadcast's {@code emitWithAck}, the exception still carries the acks that did arrive and how
 * many recipients did not answer, so a caller can use the partial result.
 */
public class AckTimeoutException extends SocketIoException {

    private final transient List<EventArgs> responses;
    private final int missing;
    private final Set<String> missingSocketIds;

    /** With a message. */
    public AckTimeoutException(String message) {
        this(message, List.of(), 0);
    }

    /**
     * A broadcast's acks timed out.
     *
     * @param responses the acks that arrived in time, in arrival order
     * @param missing how many recipients did not answer in time
     */
    public AckTimeoutException(String message, List<EventArgs> responses, int missing) {
        this(message, responses, missing, Set.of());
    }

    /**
     * A broadcast's acks timed out, naming the sockets of this node that did not answer.
     *
     * @param missingSocketIds the ids of this node's recipients that did not answer in time
     */
    public AckTimeoutException(String message, List<EventArgs> responses, int missing, Set<String> missingSocketIds) {
        super(message);
        this.responses = List.copyOf(Objects.requireNonNull(responses, "responses"));
        this.missing = missing;
        this.missingSocketIds = Set.copyOf(Objects.requireNonNull(missingSocketIds, "missingSocketIds"));
    }

    /** The acks that arrived before the timeout (a broadcast's); empty for a single socket. */
    public List<EventArgs> responses() {
        return responses;
    }

    /**
     * The ids of the recipients on this node that did not answer in time (a broadcast's); those on
     * other nodes are only counted in {@link #missing()}, since the cluster protocol does not name
     * the socket an ack comes from.
     */
    public Set<String> missingSocketIds() {
        return missingSocketIds;
    }

    /** How many recipients of a broadcast did not answer in time; 1 or 0 for a single socket. */
    public int missing() {
        return missing;
    }
}
