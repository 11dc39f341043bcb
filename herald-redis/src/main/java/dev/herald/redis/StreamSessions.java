package dev.herald.redis;

import dev.herald.redis.internal.RedisLink;
import dev.herald.redis.internal.StreamCodec;
import dev.herald.socketio.adapter.PersistedSession;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session keys of one namespace's sockets in Redis: written while a socket is connected (so a
 * node that dies leaves them behind for another to restore), kept for the window after a
 * recoverable disconnect, deleted when a socket leaves on purpose.
 *
 * <p>Threading: any thread; changes under this object's monitor, so that writes reach Redis in the
 * order they were made.
 */
final class StreamSessions {

    private static final Logger log = LoggerFactory.getLogger(StreamSessions.class);

    private final RedisLink link;
    private final String keyPrefix;
    private final String namespace;
    private final Duration window;
    // How often the sessions of connected sockets are rewritten: a quarter of the window, 1 s to 30 s.
    private final Duration refreshPeriod;
    // Guarded by `this` for changes; read anywhere.
    private final Map<String, String> pids = new ConcurrentHashMap<>();
    private final Set<String> persisted = ConcurrentHashMap.newKeySet();
    private final AtomicLong writesFailed = new AtomicLong();

    StreamSessions(RedisLink link, String keyPrefix, String namespace, Duration window) {
        this.link = link;
        this.keyPrefix = keyPrefix;
        this.namespace = namespace;
        this.window = window;
        this.refreshPeriod = Duration.ofMillis(Math.clamp(window.toMillis() / 4, 1_000, 30_000));
    }

    /** How often {@link #refresh} should run; a live session's key lasts the window plus this. */
    Duration refreshPeriod() {
        return refreshPeriod;
    }

    /**
     * Writes a connected socket's session as {@code sessions} gives it now (nothing once it is
     * gone), to last past one refresh. The snapshot is taken under the monitor, so a later state is
     * never overwritten by an earlier one.
     */
    synchronized void live(String socketId, Function<String, Optional<PersistedSession>> sessions) {
        sessions.apply(socketId).ifPresent(s -> {
            pids.put(socketId, s.pid());
            write(s, window.plus(refreshPeriod));
        });
    }

    /** Rewrites every connected socket's session, from {@code sessions}. */
    void refresh(Function<String, Optional<PersistedSession>> sessions) {
        for (String socketId : pids.keySet()) {
            live(socketId, sessions);
        }
    }

    /** A recoverable disconnect: the session stays for the window. */
    synchronized void persist(PersistedSession session) {
        persisted.add(session.sid());
        write(session, window);
    }

    /** The socket left its rooms: its session goes unless this disconnect persisted it. */
    synchronized void left(String socketId) {
        String pid = pids.remove(socketId);
        if (!persisted.remove(socketId) && pid != null) {
            link.del(keyPrefix + pid).whenComplete((n, e) -> countFailure(e));
        }
    }

    long writesFailed() {
        return writesFailed.get();
    }

    private void write(PersistedSession session, Duration ttl) {
        link.set(keyPrefix + session.pid(), StreamCodec.session(session), ttl).whenComplete((ok, e) -> countFailure(e));
    }

    private void countFailure(Throwable e) {
        if (e != null && writesFailed.getAndIncrement() == 0) {
            log.warn(
                    "cannot write a session to Redis on {} (counted in sessionWritesFailed): {}",
                    namespace,
                    e.toString());
        }
    }
}
