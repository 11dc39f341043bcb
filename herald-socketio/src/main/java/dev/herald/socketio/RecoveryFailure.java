package dev.herald.socketio;

/**
 * Why a client that asked for connection state recovery got a fresh session instead. The socket
 * connects anyway, with {@link Socket#recovered()} false; {@link Namespace#onRecoveryFailed} tells
 * the application, so it can send the state again.
 */
public enum RecoveryFailure {
    /** No session with that private id: never issued here, expired and swept, or the node restarted. */
    UNKNOWN_SESSION,
    /** The session is known but its disconnection lasted longer than {@code maxDisconnectionDuration}. */
    EXPIRED,
    /** The client's offset is not one this server issued, so what it missed cannot be known. */
    UNKNOWN_OFFSET,
    /** Packets the client missed are no longer kept (past the window or the cap), so replay would leave gaps. */
    PACKETS_LOST,
    /** The adapter keeps no sessions (a custom adapter that does not implement recovery). */
    NOT_SUPPORTED,
    /** The adapter failed while restoring (for example, its store is unreachable). */
    ADAPTER_ERROR
}
