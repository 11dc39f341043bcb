package dev.herald.socketio.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.socketio.AckTimeoutException;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.SocketIoException;
import dev.herald.socketio.internal.SocketIoAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A request of this node waiting for one answer per other node. */
final class PendingRequest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    final Class<? extends ClusterMessage> kind;
    final String operation;
    final int expected;
    // Guarded by `this`: the answers so far, merged into the accumulator.
    final Object accumulator;
    // Guarded by `this`.
    int current;
    final CompletableFuture<Object> future = new CompletableFuture<>();

    PendingRequest(Class<? extends ClusterMessage> kind, String operation, int expected, Object accumulator) {
        this.kind = kind;
        this.operation = operation;
        this.expected = expected;
        this.accumulator = accumulator;
    }

    /**
     * Why the request failed at its timeout. A serverSideEmitWithAck's caller still gets the
     * answers that came, as a broadcast's emitWithAck does.
     */
    @SuppressWarnings("unchecked")
    synchronized SocketIoException timedOut() {
        String message = "timeout reached while waiting for " + operation + " responses: only " + current
                + " responses received out of " + expected;
        if (kind != ClusterMessage.ServerSideEmit.class) {
            return new SocketIoException(message);
        }
        List<EventArgs> answers = new ArrayList<>();
        for (JsonNode reply : (List<JsonNode>) accumulator) {
            answers.add(SocketIoAccess.get().eventArgs(NODES.arrayNode().add(reply)));
        }
        return new AckTimeoutException(message, answers, expected - current);
    }

    /** Merges one answer; true when it was the last one expected. */
    @SuppressWarnings("unchecked")
    synchronized boolean add(ClusterResponse response) {
        if (future.isDone()) {
            return false;
        }
        switch (response) {
            case ClusterResponse.FetchSockets f
            when kind == ClusterMessage.FetchSockets.class -> ((List<SocketDetails>) accumulator).addAll(f.sockets());
            case ClusterResponse.Sockets s
            when kind == ClusterMessage.Sockets.class -> ((Set<String>) accumulator).addAll(s.sockets());
            case ClusterResponse.AllRooms r
            when kind == ClusterMessage.AllRooms.class -> ((Set<String>) accumulator).addAll(r.rooms());
            case ClusterResponse.ServerSideEmit e
            when kind == ClusterMessage.ServerSideEmit.class -> ((List<JsonNode>) accumulator).add(e.reply());
            default -> {
                return false;
            }
        }
        current++;
        if (current < expected) {
            return false;
        }
        future.complete(accumulator);
        return true;
    }
}
