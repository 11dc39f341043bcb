package dev.herald.admin;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session ids in Redis with the key layout of Node's {@code RedisStore}: {@code <prefix>#<id>} set
 * to {@code true} with a time to live, so Herald and Node nodes of one cluster accept each other's
 * dashboard sessions. Needs {@code io.lettuce:lettuce-core} on the class path (herald-redis brings it).
 *
 * <p>Threading: any thread; Lettuce's own threads do the I/O.
 */
public final class RedisAdminSessionStore implements AdminSessionStore, AutoCloseable {

    /** Node's defaults: prefix {@code socket.io-admin}, sessions kept one day. */
    public static final String DEFAULT_PREFIX = "socket.io-admin";

    public static final Duration DEFAULT_SESSION_DURATION = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(RedisAdminSessionStore.class);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix;
    private final Duration sessionDuration;

    private RedisAdminSessionStore(String redisUri, String prefix, Duration sessionDuration) {
        this.client = RedisClient.create(RedisURI.create(redisUri));
        this.connection = client.connect();
        this.prefix = prefix;
        this.sessionDuration = sessionDuration;
    }

    /** A store on this Redis ({@code redis://host:port}) with Node's prefix and duration. */
    public static RedisAdminSessionStore connect(String redisUri) {
        return connect(redisUri, DEFAULT_PREFIX, DEFAULT_SESSION_DURATION);
    }

    /** A store on this Redis with this key prefix and session duration (whole seconds, at least one). */
    public static RedisAdminSessionStore connect(String redisUri, String prefix, Duration sessionDuration) {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(sessionDuration, "sessionDuration");
        if (sessionDuration.toSeconds() < 1) {
            throw new IllegalArgumentException("sessionDuration must be at least 1 s, was " + sessionDuration);
        }
        return new RedisAdminSessionStore(redisUri, prefix, sessionDuration);
    }

    private String key(String sessionId) {
        return prefix + "#" + sessionId;
    }

    @Override
    public CompletableFuture<Boolean> exists(String sessionId) {
        return connection.async().exists(key(sessionId)).thenApply(n -> n == 1).toCompletableFuture();
    }

    @Override
    public void save(String sessionId) {
        // One SET with EX: the same key, value and expiry as Node's MULTI SET + EXPIRE.
        RedisAsyncCommands<String, String> redis = connection.async();
        redis.setex(key(sessionId), sessionDuration.toSeconds(), "true").whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("cannot save an Admin UI session to Redis: {}", e.toString());
            }
        });
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
