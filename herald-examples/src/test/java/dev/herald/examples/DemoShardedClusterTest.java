package dev.herald.examples;

import dev.herald.redis.RedisCluster;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./herald demo --redis-cluster URI} twice: the same scenarios as {@link DemoClusterTest}
 * with two demo apps on a real 3-master Redis Cluster, over the sharded adapter in dynamic mode.
 */
class DemoShardedClusterTest extends DemoClusterTest {

    @Override
    ServerConfig startRedis() {
        var cluster = RedisCluster.launch(3, 0);
        setRedis(cluster);
        return new ServerConfig(
                "127.0.0.1",
                0,
                false,
                Optional.empty(),
                Map.of("progress-job-ms", "400", "redis-cluster", cluster.uri()));
    }
}
