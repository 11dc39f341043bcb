package dev.herald.bench.servers;

/**
 * What the benchmark servers of this module share with {@code run.sh}: {@code --port N} on the
 * command line (else the {@code PORT} environment variable, else 0 for a free port), and the line
 * {@code LISTENING <port>} on stdout once the port is bound, which is how run.sh knows the server
 * is ready. (The Node and netty-socketio servers, built apart, do the same their own way.)
 */
public final class ServerArgs {
    private ServerArgs() {}

    /** The port to bind: {@code --port N}, else {@code PORT}, else 0. */
    public static int port(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--port")) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        String env = System.getenv("PORT");
        return env == null || env.isBlank() ? 0 : Integer.parseInt(env.trim());
    }

    /** Tells run.sh that the server is ready. */
    public static void announce(int port) {
        System.out.println("LISTENING " + port);
        System.out.flush();
    }
}
