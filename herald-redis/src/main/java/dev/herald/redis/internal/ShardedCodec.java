package dev.herald.redis.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.redis.SubscriptionMode;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import dev.herald.socketio.internal.MsgPack;
import java.util.Optional;

/**
 * The channels and encoding of {@code @socket.io/redis-adapter} 8.3's sharded adapter for one
 * namespace: {@code <prefix>#<nsp>#} for every message, {@code <prefix>#<nsp>#<uid>#} for the
 * answers to one node, {@code <prefix>#<nsp>#<room>#} for one-room broadcasts in the dynamic
 * modes. Messages are {@link ClusterCodec} trees, JSON unless they carry binary (then msgpack).
 */
public final class ShardedCodec {

    /** Node's adapter tells a socket's own room by the length of socket ids. */
    private static final int SOCKET_ID_LENGTH = 20;

    private final ClusterCodec messages;
    private final SubscriptionMode mode;
    private final String channel;

    /** The codec of one namespace. */
    public ShardedCodec(String prefix, String nsp, SubscriptionMode mode) {
        this.messages = new ClusterCodec(nsp);
        this.mode = mode;
        this.channel = prefix + "#" + nsp + "#";
    }

    /** The channel every node of the namespace subscribes to. */
    public String channel() {
        return channel;
    }

    /** The channel of the answers to the node {@code uid}. */
    public String responseChannel(String uid) {
        return channel + uid + "#";
    }

    /** The channel of broadcasts to exactly this room, in the dynamic modes. */
    public String roomChannel(String room) {
        return channel + room + "#";
    }

    /**
     * The channel of a message: a broadcast without acks to exactly one room goes to that room's
     * channel in the dynamic modes (unless it is a socket id in {@link SubscriptionMode#DYNAMIC});
     * the rest goes to the namespace channel. Broadcasts with acks never use a room channel: the
     * sender waits for an answer from every node.
     */
    public String channelOf(ClusterMessage message) {
        if (message instanceof ClusterMessage.Broadcast b
                && b.requestId().isEmpty()
                && b.opts().rooms().size() == 1) {
            String room = b.opts().rooms().iterator().next();
            boolean dynamic = switch (mode) {
                case STATIC -> false;
                case DYNAMIC -> room.length() != SOCKET_ID_LENGTH;
                case DYNAMIC_PRIVATE -> true;
            };
            if (dynamic) {
                return roomChannel(room);
            }
        }
        return channel;
    }

    /** The payload of a message. */
    public byte[] encode(ClusterMessage message) {
        return encode(messages.encode(message));
    }

    /** The payload of an answer from the node {@code uid}. */
    public byte[] encode(String uid, ClusterResponse response) {
        return encode(messages.encode(uid, response));
    }

    /**
     * A message or an answer, if it is for this namespace and of a kind this adapter serves.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public Optional<ClusterCodec.Incoming> decode(byte[] payload) {
        return messages.decode(Wire.decodeRequest(payload));
    }

    /** JSON as {@code JSON.stringify}, unless the message carries binary: msgpack then, as Node. */
    private static byte[] encode(ObjectNode message) {
        return ClusterCodec.needsBinaryEncoding(message) ? MsgPack.encode(message) : Wire.json(message);
    }
}
