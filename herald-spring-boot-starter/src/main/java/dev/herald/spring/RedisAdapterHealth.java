package dev.herald.spring;

import dev.herald.redis.RedisAdapter;
import dev.herald.redis.RedisStreamsAdapter;
import dev.herald.redis.ShardedRedisAdapter;
import dev.herald.socketio.adapter.AdapterFactory;
import java.util.Optional;

/** The Redis adapters' connection state; loaded only when herald-redis is on the class path. */
final class RedisAdapterHealth {

    private RedisAdapterHealth() {}

    /** Whether the factory's Redis connections are up, or empty when it is not one of herald-redis's. */
    static Optional<Boolean> connected(AdapterFactory factory) {
        return switch (factory) {
            case RedisAdapter.Factory f -> Optional.of(f.connected());
            case RedisStreamsAdapter.Factory f -> Optional.of(f.connected());
            case ShardedRedisAdapter.Factory f -> Optional.of(f.connected());
            default -> Optional.empty();
        };
    }
}
