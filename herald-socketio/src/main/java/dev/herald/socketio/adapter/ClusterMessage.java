package dev.herald.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.parser.Packet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A message from one node of a cluster to the others, as {@link ClusterAdapter} sends and
 * receives it. A transport (Redis pub/sub, …) maps each kind to its own wire format.
 *
 * <p>Every message carries the sender's {@link #uid()} (a node ignores its own messages) and the
 * namespace it is about. Kinds that expect answers carry a {@code requestId} that the answers
 * ({@link ClusterResponse}) repeat.
 */
public sealed interface ClusterMessage {

    /** The sending node's id; an emitter process may send {@code "emitter"} or nothing. */
    String uid();

    /** The namespace name. */
    String nsp();

    /**
     * A broadcast; with a request id it asks each recipient for an ack, and each node answers with
     * a {@link ClusterResponse.BroadcastClientCount} and then a {@link ClusterResponse.BroadcastAck}
     * per client reply.
     */
    record Broadcast(String uid, String nsp, Packet packet, BroadcastOptions opts, Optional<String> requestId)
            implements ClusterMessage {
        public Broadcast {
            Objects.requireNonNull(uid, "uid");
            Objects.requireNonNull(nsp, "nsp");
            Objects.requireNonNull(packet, "packet");
            Objects.requireNonNull(opts, "opts");
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    /** The matching sockets join {@code rooms}. */
    record SocketsJoin(String uid, String nsp, BroadcastOptions opts, Set<String> rooms) implements ClusterMessage {
        public SocketsJoin {
            rooms = Set.copyOf(rooms);
        }
    }

    /** The matching sockets leave {@code rooms}. */
    record SocketsLeave(String uid, String nsp, BroadcastOptions opts, Set<String> rooms) implements ClusterMessage {
        public SocketsLeave {
            rooms = Set.copyOf(rooms);
        }
    }

    /** The matching sockets are disconnected. */
    record DisconnectSockets(String uid, String nsp, BroadcastOptions opts, boolean close) implements ClusterMessage {}

    /** Asks for a snapshot of the matching sockets; answered by {@link ClusterResponse.FetchSockets}. */
    record FetchSockets(String uid, String nsp, BroadcastOptions opts, String requestId) implements ClusterMessage {}

    /** Asks for the ids of the sockets in any of the rooms; answered by {@link ClusterResponse.Sockets}. */
    record Sockets(String uid, String nsp, Set<String> rooms, String requestId) implements ClusterMessage {
        public Sockets {
            rooms = Set.copyOf(rooms);
        }
    }

    /** Asks for every room; answered by {@link ClusterResponse.AllRooms}. */
    record AllRooms(String uid, String nsp, String requestId) implements ClusterMessage {}

    /**
     * An event for the servers ({@code serverSideEmit}); with a request id, each node answers once
     * with a {@link ClusterResponse.ServerSideEmit}.
     */
    record ServerSideEmit(String uid, String nsp, String event, ArrayNode args, Optional<String> requestId)
            implements ClusterMessage {
        public ServerSideEmit {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(args, "args");
            Objects.requireNonNull(requestId, "requestId");
        }
    }
}
