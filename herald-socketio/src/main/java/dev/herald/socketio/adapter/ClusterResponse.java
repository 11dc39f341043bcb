package dev.herald.socketio.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Set;

/**
 * One node's answer to a {@link ClusterMessage} that carried a request id.
 *
 * <p>Some transports (the classic Redis adapter among them) send answers without saying what they
 * answer; they use {@link ClusterAdapter#pendingRequest} to learn the kind from the request id.
 */
public sealed interface ClusterResponse {

    /** The id of the request this answers. */
    String requestId();

    /** The sockets of one node matching a {@link ClusterMessage.FetchSockets}. */
    record FetchSockets(String requestId, List<SocketDetails> sockets) implements ClusterResponse {
        public FetchSockets {
            sockets = List.copyOf(sockets);
        }
    }

    /** The socket ids of one node matching a {@link ClusterMessage.Sockets}. */
    record Sockets(String requestId, Set<String> sockets) implements ClusterResponse {
        public Sockets {
            sockets = Set.copyOf(sockets);
        }
    }

    /** The rooms of one node. */
    record AllRooms(String requestId, Set<String> rooms) implements ClusterResponse {
        public AllRooms {
            rooms = Set.copyOf(rooms);
        }
    }

    /** One node's ack to a {@link ClusterMessage.ServerSideEmit} (JSON null when it gave none). */
    record ServerSideEmit(String requestId, JsonNode reply) implements ClusterResponse {}

    /** How many clients of one node a broadcast with acks reached. */
    record BroadcastClientCount(String requestId, int clientCount) implements ClusterResponse {}

    /** One client's ack arguments to a broadcast with acks. */
    record BroadcastAck(String requestId, ArrayNode args) implements ClusterResponse {}
}
