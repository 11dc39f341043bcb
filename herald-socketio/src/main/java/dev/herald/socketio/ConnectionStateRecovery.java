package dev.herald.socketio;

import java.time.Duration;
import java.util.Objects;

/**
 * The connection state recovery settings, as socket.io's {@code connectionStateRecovery} option:
 * a client whose connection drops and comes back within {@code maxDisconnectionDuration} gets its
 * socket id, rooms and {@link Socket#data()} back, and every packet it missed, in order.
 *
 * @param maxDisconnectionDuration how long a disconnected session and the packets it may miss are kept (Node: 2 min)
 * @param skipMiddlewares whether a recovered socket skips the namespace middlewares (Node: true)
 * @param maxPackets how many recoverable packets each namespace keeps at most, beyond which the
 *     oldest are dropped (and counted) even within the window; Node keeps every packet of the window
 */
public record ConnectionStateRecovery(Duration maxDisconnectionDuration, boolean skipMiddlewares, int maxPackets) {

    /** The window Node uses by default. */
    public static final Duration DEFAULT_MAX_DISCONNECTION_DURATION = Duration.ofMinutes(2);
    /** The default cap on kept packets per namespace. */
    public static final int DEFAULT_MAX_PACKETS = 100_000;

    public ConnectionStateRecovery {
        Objects.requireNonNull(maxDisconnectionDuration, "maxDisconnectionDuration");
        if (maxDisconnectionDuration.isNegative() || maxDisconnectionDuration.isZero()) {
            throw new IllegalArgumentException("connectionStateRecovery maxDisconnectionDuration must be positive, was "
                    + maxDisconnectionDuration);
        }
        if (maxPackets < 1) {
            throw new IllegalArgumentException("recoveryMaxPackets must be at least 1, was " + maxPackets);
        }
    }
}
