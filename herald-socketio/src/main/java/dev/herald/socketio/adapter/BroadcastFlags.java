package dev.herald.socketio.adapter;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Modifiers of one broadcast, as socket.io's {@code BroadcastFlags}.
 *
 * @param volatileFlag the packet may be dropped if a recipient cannot take it now
 * @param compress     the transport may compress the packet (polling httpCompression, WebSocket permessage-deflate)
 * @param local        deliver on this node only, do not publish to the cluster
 * @param timeout      how long to wait for acks, for {@code emitWithAck}
 */
public record BroadcastFlags(boolean volatileFlag, boolean compress, boolean local, Optional<Duration> timeout) {

    /** No modifier: reliable, compressed, cluster-wide, no ack timeout. */
    public static final BroadcastFlags DEFAULT = new BroadcastFlags(false, true, false, Optional.empty());

    public BroadcastFlags {
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A copy with {@code volatileFlag} set. */
    public BroadcastFlags withVolatile(boolean value) {
        return new BroadcastFlags(value, compress, local, timeout);
    }

    /** A copy with {@code compress} set. */
    public BroadcastFlags withCompress(boolean value) {
        return new BroadcastFlags(volatileFlag, value, local, timeout);
    }

    /** A copy with {@code local} set. */
    public BroadcastFlags withLocal(boolean value) {
        return new BroadcastFlags(volatileFlag, compress, value, timeout);
    }

    /** A copy with an ack timeout. */
    public BroadcastFlags withTimeout(Duration value) {
        return new BroadcastFlags(volatileFlag, compress, local, Optional.of(value));
    }
}
