package dev.herald.bench.servers;

/**
 * What every reference server shares with the others and with {@code run.sh}: {@code --port N}
 * on the command line (else the {@code PORT} environment variable, else 0 for a free port), and
 * the line {@code LISTENING <port>} on stdout once the port is bound, which is how run.sh knows
 * the server is ready.
 */
final class ServerArgs {
  private ServerArgs() {}

  static int port(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--port")) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    String env = System.getenv("PORT");
    return env == null || env.isBlank() ? 0 : Integer.parseInt(env.trim());
  }

  static void announce(int port) {
    System.out.println("LISTENING " + port);
    System.out.flush();
  }
}
