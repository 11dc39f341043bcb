package dev.herald.socketio.adapter;

import dev.herald.socketio.RecoveryFailure;
import java.util.Objects;
import java.util.Optional;

/** The answer of {@link Adapter#restoreSession}: the session to resume, or why there is none. */
public sealed interface SessionRestore {

    /**
     * The session was found and its missed packets can be replayed.
     *
     * @param session the session as it was persisted
     * @param replayFrom the offset after which the client missed packets: its own offset, or the
     *     session's {@link PersistedSession#startOffset()} when it had received none (empty: every
     *     kept packet since the log began)
     */
    record Restored(PersistedSession session, Optional<String> replayFrom) implements SessionRestore {
        public Restored {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(replayFrom, "replayFrom");
        }
    }

    /** No recovery: the socket connects with a fresh session. */
    record Failed(RecoveryFailure reason) implements SessionRestore {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A failure. */
    static SessionRestore failed(RecoveryFailure reason) {
        return new Failed(reason);
    }
}
