package dev.herald.bench.servers;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOServer;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark app on netty-socketio 2.0.14: {@code echo} acks its argument, {@code join} puts
 * the socket in room {@code all} (and acks, if asked), {@code bcast} emits {@code tick} with the
 * same argument to room {@code all}. netty-socketio hands a listener only the first argument,
 * which is all the benchmark sends.
 *
 * <p>Usage: {@code NettySocketIoServer --port N} (or {@code PORT=N}); prints
 * {@code LISTENING <port>} once bound. The port must be given: netty-socketio does not tell which
 * port it bound when asked for port 0.
 */
public final class NettySocketIoServer {
  private NettySocketIoServer() {}

  /** Starts the server and blocks until the process is killed. */
  public static void main(String[] args) throws InterruptedException {
    int port = port(args);
    if (port <= 0) {
      System.err.println("usage: NettySocketIoServer --port N (N > 0)");
      System.exit(2);
    }
    Configuration config = new Configuration();
    config.setHostname("127.0.0.1");
    config.setPort(port);
    SocketIOServer server = new SocketIOServer(config);
    server.addEventListener("echo", Object.class, (client, data, ack) -> {
      if (ack.isAckRequested()) {
        ack.sendAckData(data);
      }
    });
    server.addEventListener("join", Object.class, (client, data, ack) -> {
      client.joinRoom("all");
      if (ack.isAckRequested()) {
        ack.sendAckData();
      }
    });
    server.addEventListener("bcast", Object.class,
        (client, data, ack) -> server.getRoomOperations("all").sendEvent("tick", data));
    try {
      server.start();
    } catch (Exception e) { // a BindException comes undeclared
      // e.g. the port is taken: say so and exit, rather than idle on Netty's threads
      System.err.println("cannot start on port " + port + ": " + e);
      System.exit(1);
    }
    System.out.println("LISTENING " + port);
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    new CountDownLatch(1).await();
  }

  /** {@code --port N}, else the {@code PORT} environment variable, else 0. */
  private static int port(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--port")) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    String env = System.getenv("PORT");
    return env == null || env.isBlank() ? 0 : Integer.parseInt(env.trim());
  }
}
