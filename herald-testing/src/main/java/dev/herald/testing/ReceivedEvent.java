package dev.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * One event a {@link SocketIoTestClient} received.
 *
 * @param name      the event name
 * @param args      the arguments; binary attachments are {@code BinaryNode}s in place
 * @param ackId     the ack id the server asked for, or -1
 * @param transport {@code polling} or {@code websocket}: how the text packet arrived
 * @param nanoTime  {@link System#nanoTime()} at arrival
 */
public record ReceivedEvent(String name, ArrayNode args, long ackId, String transport, long nanoTime) {

    /** Argument {@code i}. */
    public JsonNode arg(int i) {
        return args.get(i);
    }

    /** Whether the server asked for an ack. */
    public boolean wantsAck() {
        return ackId >= 0;
    }

    @Override
    public String toString() {
        return "ReceivedEvent[" + name + " " + args + (ackId >= 0 ? " ack=" + ackId : "") + " via " + transport + "]";
    }
}
