package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.bench.servers.ServerArgs;
import dev.herald.netty.NettyServer;
import dev.herald.redis.RedisAdapter;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import java.util.concurrent.CountDownLatch;

/**
 * {@link BenchServer}'s app as one node of a cluster: with {@code --redis URI} the server uses
 * {@link RedisAdapter}, so {@code bcast} on any node reaches room {@code all} on every node of
 * that Redis; without it, the in-memory adapter (a single node, for comparison).
 *
 * <p>Run: {@code ClusterBenchServer [--port N] [--redis redis://127.0.0.1:6379]}. Binds 127.0.0.1
 * and prints {@code LISTENING <port>} once bound, as the other bench servers.
 */
public final class ClusterBenchServer {
  private ClusterBenchServer() {}

  /** Starts the node and blocks until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    String redis = null;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--redis")) {
        redis = args[i + 1];
      }
    }
    SocketIoOptions.Builder options = SocketIoOptions.builder();
    if (redis != null) {
      options.adapterFactory(RedisAdapter.factory(redis));
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
