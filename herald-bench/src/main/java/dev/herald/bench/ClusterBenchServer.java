package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.bench.servers.ServerArgs;
import dev.herald.netty.NettyServer;
import dev.herald.redis.RedisAdapter;
import dev.herald.redis.ShardedRedisAdapter;
import dev.herald.redis.ShardedRedisAdapterOptions;
import dev.herald.redis.SubscriptionMode;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@link BenchServer}'s app as one node of a cluster: with {@code --redis URI} the server uses
 * {@link RedisAdapter}, so {@code bcast} on any node reaches room {@code all} on every node of
 * that Redis; without it, the in-memory adapter (a single node, for comparison).
 *
 * <p>With {@code --redis-cluster URI} it uses {@link ShardedRedisAdapter} on that Redis Cluster,
 * in the subscription mode of {@code --mode static|dynamic} (dynamic by default), and announces
 * itself once it reached the cluster.
 *
 * <p>Run: {@code ClusterBenchServer [--port N] [--redis redis://127.0.0.1:6379 | --redis-cluster
 * redis://127.0.0.1:7000 [--mode static]]}. Binds 127.0.0.1 and prints {@code LISTENING <port>}
 * once bound, as the other bench servers.
 */
public final class ClusterBenchServer {
    private ClusterBenchServer() {}

    /** Starts the node and blocks until the process is stopped. */
    public static void main(String[] args) throws Exception {
        String redis = null;
        String cluster = null;
        SubscriptionMode mode = SubscriptionMode.DYNAMIC;
        for (int i = 0; i + 1 < args.length; i++) {
            switch (args[i]) {
                case "--redis" -> redis = args[i + 1];
                case "--redis-cluster" -> cluster = args[i + 1];
                case "--mode" -> mode = SubscriptionMode.valueOf(args[i + 1].toUpperCase(Locale.ROOT));
                default -> {}
            }
        }
        SocketIoOptions.Builder options = SocketIoOptions.builder();
        if (redis != null) {
            options.adapterFactory(RedisAdapter.factory(redis));
        }
        if (cluster != null) {
            var factory = ShardedRedisAdapter.factory(ShardedRedisAdapterOptions.builder(cluster)
                    .subscriptionMode(mode)
                    .build());
            // the generator starts once this node announces itself: the cluster must be reached by then
            factory.firstConnection().get(60, TimeUnit.SECONDS);
            options.adapterFactory(factory);
        }
        SocketIoServer io = SocketIoServer.create(options.build());
        io.on("echo", (socket, a) -> a.ack(a.nodes().toArray(JsonNode[]::new)));
        io.on("join", (socket, a) -> {
            socket.join("all");
            a.ack();
        });
        io.on("bcast", (socket, a) -> io.to("all").emit("tick", a.nodes().toArray()));
        NettyServer server = NettyServer.builder()
                .host("127.0.0.1")
                .port(ServerArgs.port(args))
                .engine(io.engine())
                .serveClient(false)
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the server first: closing its sockets needs the transport's event loops
            io.close();
            server.close();
        }));
        ServerArgs.announce(server.port());
        new CountDownLatch(1).await();
    }
}
