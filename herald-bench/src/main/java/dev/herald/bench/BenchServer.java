package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.netty.NettyServer;
import dev.herald.bench.servers.ServerArgs;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Herald's copy of the benchmark app, the same on every server of {@code herald-bench/run.sh}:
 * {@code echo} acks its arguments; {@code join} puts the socket in room {@code all} (and acks,
 * if asked); {@code bcast} emits {@code tick} with the same arguments to room {@code all}.
 *
 * <p>Run: {@code ./herald bench-server [--port N] [--recovery]} (or {@code PORT=N}; 0, the
 * default, picks a free port). Binds 127.0.0.1 and prints {@code LISTENING <port>} once bound,
 * which is how run.sh knows it is ready. {@code --recovery} turns connection state recovery on
 * with Node's defaults (2-minute window, middlewares skipped), for the jitter scenario.
 */
public final class BenchServer {
  private BenchServer() {}

  /** Starts the server and blocks until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    NettyServer server = start(ServerArgs.port(args), Arrays.asList(args).contains("--recovery"));
    ServerArgs.announce(server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    new CountDownLatch(1).await();
  }

  /** Starts the app on 127.0.0.1:{@code port}; the caller closes it. */
  public static NettyServer start(int port) {
    return start(port, false);
  }

  /** Starts the app on 127.0.0.1:{@code port}, with connection state recovery if asked. */
  public static NettyServer start(int port, boolean recovery) {
    SocketIoServer.Builder builder = SocketIoServer.builder();
    if (recovery) {
      builder.connectionStateRecovery(Duration.ofMinutes(2), true);
    }
    SocketIoServer io = builder.build();
    if (recovery) {
      // The jitter scenario counts unrecovered reconnects; the server log says why each was.
      io.of("/").onRecoveryFailed((socket, reason) ->
          System.err.println("recovery failed: " + reason + " (" + socket.id() + ")"));
    }
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
