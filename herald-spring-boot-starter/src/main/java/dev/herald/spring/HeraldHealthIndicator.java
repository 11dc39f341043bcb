package dev.herald.spring;

import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.adapter.AdapterFactory;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.ClassUtils;

/**
 * The {@code socketio} component of Actuator's health: UP while Herald serves (between its start and
 * the beginning of its graceful stop) and, with a Redis adapter, while both of that adapter's Redis
 * connections are up; DOWN otherwise. Its details count the connected sockets per namespace.
 */
public final class HeraldHealthIndicator implements HealthIndicator {

    private static final boolean REDIS_PRESENT =
            ClassUtils.isPresent("dev.herald.redis.RedisAdapter", HeraldHealthIndicator.class.getClassLoader());

    private final SocketIoServer io;
    private final HeraldLifecycle lifecycle;
    private final AdapterFactory adapterFactory;

    HeraldHealthIndicator(SocketIoServer io, HeraldLifecycle lifecycle, AdapterFactory adapterFactory) {
        this.io = io;
        this.lifecycle = lifecycle;
        this.adapterFactory = adapterFactory;
    }

    @Override
    public Health health() {
        boolean serving = lifecycle.isRunning();
        Optional<Boolean> redis = REDIS_PRESENT ? RedisAdapterHealth.connected(adapterFactory) : Optional.empty();
        Health.Builder b = serving && redis.orElse(true) ? Health.up() : Health.down();
        b.withDetail("server", serving ? "serving" : "stopped");
        redis.ifPresent(up -> b.withDetail("redis", up ? "connected" : "disconnected"));
        Map<String, Integer> sockets = new TreeMap<>();
        for (Namespace n : io.namespaces()) {
            sockets.put(n.name(), n.sockets().size());
        }
        return b.withDetail("sockets", sockets).build();
    }
}
