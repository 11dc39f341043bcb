package dev.herald.engineio;

import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketType;
import dev.herald.engineio.transport.SessionExecutor;
import dev.herald.engineio.transport.SessionExecutor.Cancellable;
import java.time.Duration;

/**
 * One session's heartbeat. EIO4: the server pings every {@code pingInterval} and a pong is due
 * within {@code pingTimeout}; EIO3: the client pings and the server pongs, and a client silent for
 * interval + timeout is gone. Either way a missed deadline closes the session with
 * {@link CloseReason#PING_TIMEOUT}.
 *
 * <p>Threading: every method and field is owned by the session's home loop; time is read from
 * {@link SessionExecutor#nanoTime()}, the clock its timers run on.
 */
final class Heartbeat {

    // The session's home loop and options are read through it: two fields less per session.
    private final EngineSession session;
    // Home only, as every field below.
    private Cancellable pingTimer;
    private Cancellable pingTimeoutTimer;
    // now() by which a pong (EIO4) or ping (EIO3) is due; 0 when none is awaited.
    private long pingDeadline;
    // now() at which the next ping is due (EIO4).
    private long nextPingAt;

    Heartbeat(EngineSession session) {
        this.session = session;
    }

    /** The session opened: the first ping (EIO4) or the first deadline for a client ping (EIO3). */
    void start() {
        if (session.protocol() == 3) {
            // EIO3: the client pings; a session that stays silent for interval + timeout is dead.
            armPingTimeout(now() + clientSilenceNanos());
            return;
        }
        schedulePing(now());
    }

    /** A pong arrived (EIO4): the next ping is one interval from now. */
    void onPong() {
        if (session.protocol() != 3) {
            EngineSession.cancel(pingTimeoutTimer);
            pingDeadline = 0;
            schedulePing(now());
        }
    }

    /** A ping arrived (EIO3): answer it, and the client has another interval + timeout. */
    void onPing(Packet ping) {
        if (session.protocol() == 3) {
            session.outbound().write(Packet.of(PacketType.PONG, ping.data()));
            armPingTimeout(now() + clientSilenceNanos());
        }
    }

    /**
     * Whether the ping deadline has passed even though its timer has not run yet (a busy loop runs
     * timers late): a request that arrives after the deadline must find the session gone.
     */
    boolean deadlinePassed() {
        return pingDeadline != 0 && now() - pingDeadline >= 0;
    }

    /** The session is closing: no ping and no timeout any more. */
    void stop() {
        EngineSession.cancel(pingTimer);
        EngineSession.cancel(pingTimeoutTimer);
    }

    private void schedulePing(long fromNanos) {
        EngineSession.cancel(pingTimer);
        nextPingAt = fromNanos + session.options().pingInterval().toNanos();
        pingTimer = session.home().schedule(this::sendPing, untilNanos(nextPingAt));
    }

    private void sendPing() {
        if (!session.isOpen()) {
            return;
        }
        session.outbound().write(Packet.PING);
        // Counted from when the ping was due, not from when a busy loop got to it: a late timer
        // must not extend the session's life.
        armPingTimeout(nextPingAt + session.options().pingTimeout().toNanos());
    }

    private void armPingTimeout(long deadlineNanos) {
        EngineSession.cancel(pingTimeoutTimer);
        pingDeadline = deadlineNanos;
        pingTimeoutTimer =
                session.home().schedule(() -> session.close(CloseReason.PING_TIMEOUT, ""), untilNanos(deadlineNanos));
    }

    /** EIO3: how long a client may stay silent, interval + timeout. */
    private long clientSilenceNanos() {
        return session.options()
                .pingInterval()
                .plus(session.options().pingTimeout())
                .toNanos();
    }

    /** The home loop's clock, the one its timers run on. */
    private long now() {
        return session.home().nanoTime();
    }

    private Duration untilNanos(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - now()));
    }
}
