package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.netty.NettyServer;
import dev.herald.bench.servers.ServerArgs;
import dev.herald.socketio.SocketIoServer;
import java.util.concurrent.CountDownLatch;

/**
 * Herald's copy of the benchmark app, the same on every server of {@code herald-bench/run.sh}:
 * {@code echo} acks its arguments; {@code join} puts the socket in room {@code all} (and acks,
 * if asked); {@code bcast} emits {@code tick} with the same arguments to room {@code all}.
 *
 * <p>Run: {@code ./herald bench-server [--port N]} (or {@code PORT=N}; 0, the default, picks a
 * free port). Binds 127.0.0.1 and prints {@code LISTENING <port>} once bound, which is how
 * run.sh knows it is ready.
 */
public final class BenchServer {
  private BenchServer() {}

  /** Starts the server and blocks until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    NettyServer server = start(ServerArgs.port(args));
    ServerArgs.announce(server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    new CountDownLatch(1).await();
  }

  /** Starts the app on 127.0.0.1:{@code port}; the caller closes it. */
  public static NettyServer start(int port) {
    SocketIoServer io = SocketIoServer.create();
    io.on("echo", (socket, args) -> args.ack(args.nodes().toArray(JsonNode[]::new)));
    io.on("join", (socket, args) -> {
      socket.join("all");
      args.ack();
    });
    io.on("bcast", (socket, args) -> io.to("all").emit("tick", args.nodes().toArray()));
    EngineIoServer engine = EngineIoServer.create(EngineIoOptions.defaults(), io.connectionHandler());
    return NettyServer.builder()
        .host("127.0.0.1")
        .port(port)
        .engine(engine)
        .serveClient(false)
        .build()
        .start();
  }
}
