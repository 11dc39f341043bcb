package dev.herald.admin;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the dashboard's session ids are kept between logins, as Node's {@code Store}: in memory
 * (one node, forgotten on restart), or in Redis ({@link RedisAdminSessionStore}, shared by the nodes
 * of a cluster with Node's key layout).
 *
 * <p>Threading: called on the admin sockets' virtual threads; implementations are thread-safe.
 */
public interface AdminSessionStore {

    /** Whether this session id was handed out and is still valid. */
    CompletableFuture<Boolean> exists(String sessionId);

    /** Keeps a session id just handed out; the dashboard logs in with it next time. */
    void save(String sessionId);

    /** Session ids in this process's memory, kept until it stops (as Node's {@code InMemoryStore}). */
    static AdminSessionStore inMemory() {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        return new AdminSessionStore() {
            @Override
            public CompletableFuture<Boolean> exists(String sessionId) {
                return CompletableFuture.completedFuture(ids.contains(sessionId));
            }

            @Override
            public void save(String sessionId) {
                ids.add(sessionId);
            }
        };
    }
}
