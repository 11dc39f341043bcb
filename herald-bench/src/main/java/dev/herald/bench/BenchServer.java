package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.bench.servers.ServerArgs;
import dev.herald.engineio.CorsOptions;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.examples.fixtures.Transport;
import dev.herald.netty.IoTransport;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.adapter.InMemoryAdapter;
import dev.herald.socketio.adapter.PersistedSession;
import dev.herald.socketio.adapter.SessionRestore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Herald's copy of the benchmark app, the same on every server of {@code herald-bench/run.sh}:
 * {@code echo} acks its arguments; {@code join} puts the socket in room {@code all} (and acks,
 * if asked); {@code bcast} emits {@code tick} with the same arguments to room {@code all}.
 *
 * <p>Run: {@code ./herald bench-server [--port N] [--recovery]} (or {@code PORT=N}; 0, the
 * default, picks a free port). Binds 127.0.0.1 and prints {@code LISTENING <port>} once bound,
 * which is how run.sh knows it is ready. {@code --recovery} turns connection state recovery on
 * with Node's defaults (2-minute window, middlewares skipped), for the jitter scenario;
 * {@code --log-recovery} logs the adapter's session keeping and restoring to stderr;
 * {@code --io-threads N} sets the number of Netty event loops (default: Netty's, 2 × cores);
 * {@code --per-message-deflate} accepts a client's {@code permessage-deflate} offer (Herald's
 * default threshold, 1024 bytes), for the deflate runs of echo and broadcast.
 */
public final class BenchServer {
    private BenchServer() {}

    private static final String USAGE =
            "usage: BenchServer [--port N] [--recovery] [--log-recovery] [--per-message-deflate] [--io-threads N] [--io-transport nio|epoll|io-uring] [--servlet tomcat|jetty]";

    /** The command line: a fixed set of options, so a typo never starts a server that is not the one asked for. */
    record Flags(
            int port,
            boolean recovery,
            boolean logRecovery,
            boolean perMessageDeflate,
            int ioThreads,
            IoTransport io,
            Optional<Transport> servlet) {

        static Flags parse(String[] args) {
            int port = -1;
            int ioThreads = 0;
            boolean recovery = false;
            boolean logRecovery = false;
            boolean perMessageDeflate = false;
            Optional<Transport> servlet = Optional.empty();
            IoTransport io = IoTransport.NIO;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--recovery" -> recovery = true;
                    case "--log-recovery" -> logRecovery = true;
                    case "--per-message-deflate" -> perMessageDeflate = true;
                    case "--port" -> port = number(args, ++i, "--port", 0, 65535);
                    case "--io-threads" -> ioThreads = number(args, ++i, "--io-threads", 1, 1024);
                    case "--io-transport" -> {
                        if (++i >= args.length) {
                            throw new IllegalArgumentException("--io-transport needs a value");
                        }
                        io = switch (args[i]) {
                            case "nio" -> IoTransport.NIO;
                            case "epoll" -> IoTransport.EPOLL;
                            case "io-uring" -> IoTransport.IO_URING;
                            default ->
                                throw new IllegalArgumentException(
                                        "--io-transport must be nio, epoll or io-uring, got '" + args[i] + "'");
                        };
                    }
                    case "--servlet" -> {
                        if (++i >= args.length) {
                            throw new IllegalArgumentException("--servlet needs a value");
                        }
                        servlet = Optional.of(Transport.servlet(args[i]));
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            return new Flags(
                    port >= 0 ? port : ServerArgs.port(new String[0]),
                    recovery,
                    logRecovery,
                    perMessageDeflate,
                    ioThreads,
                    io,
                    servlet);
        }

        private static int number(String[] args, int i, String option, int min, int max) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            try {
                int value = Integer.parseInt(args[i]);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    option + " must be a whole number from " + min + " to " + max + ", got '" + args[i] + "'");
        }
    }

    /** Starts the server and blocks until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        Flags flags;
        try {
            flags = Flags.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("BenchServer: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        if (flags.servlet().isPresent()) {
            // The same app on herald-servlet in an embedded container, for the cost of that transport.
            Transport.Running running = flags.servlet()
                    .get()
                    .start(
                            "127.0.0.1",
                            flags.port(),
                            "/socket.io/",
                            engine(app(flags.recovery(), flags.logRecovery()), flags.perMessageDeflate()),
                            CorsOptions.sameOriginOnly());
            System.err.println("BenchServer on " + running.transport().label());
            ServerArgs.announce(running.port());
            Runtime.getRuntime().addShutdownHook(new Thread(running::close));
            new CountDownLatch(1).await();
            return;
        }
        NettyServer server = start(
                flags.port(),
                flags.recovery(),
                flags.logRecovery(),
                flags.ioThreads(),
                flags.io(),
                flags.perMessageDeflate());
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
        return start(port, recovery, false, 0);
    }

    /**
     * As {@link #start(int, boolean)}; {@code logRecovery} also prints, with a monotonic timestamp,
     * every session the adapter keeps and every restore it is asked for, to see in which order a
     * transport close and the reconnect that follows it reached the server. {@code ioThreads}: the
     * Netty event loops, 0 for Netty's default.
     */
    public static NettyServer start(int port, boolean recovery, boolean logRecovery, int ioThreads) {
        return start(port, recovery, logRecovery, ioThreads, IoTransport.NIO);
    }

    /** As {@link #start(int, boolean, boolean, int)}, on this I/O transport. */
    public static NettyServer start(int port, boolean recovery, boolean logRecovery, int ioThreads, IoTransport io) {
        return start(port, recovery, logRecovery, ioThreads, io, false);
    }

    /**
     * As {@link #start(int, boolean, boolean, int, IoTransport)}; {@code perMessageDeflate} accepts
     * a client's {@code permessage-deflate} offer.
     */
    public static NettyServer start(
            int port, boolean recovery, boolean logRecovery, int ioThreads, IoTransport io, boolean perMessageDeflate) {
        return NettyServer.builder()
                .ioTransport(io)
                .host("127.0.0.1")
                .port(port)
                .engine(engine(app(recovery, logRecovery), perMessageDeflate))
                .serveClient(false)
                .ioThreads(ioThreads)
                .build()
                .start();
    }

    private static EngineIoServer engine(SocketIoServer io, boolean perMessageDeflate) {
        return EngineIoServer.create(
                EngineIoOptions.builder().perMessageDeflate(perMessageDeflate).build(), io.connectionHandler());
    }

    /** The benchmark app: echo, join, bcast. */
    private static SocketIoServer app(boolean recovery, boolean logRecovery) {
        SocketIoOptions.Builder builder = SocketIoOptions.builder();
        if (recovery) {
            builder.connectionStateRecovery(Duration.ofMinutes(2), true);
        }
        if (logRecovery) {
            builder.adapterFactory(LoggingAdapter::new);
        }
        SocketIoServer io = SocketIoServer.create(builder.build());
        if (recovery) {
            // The jitter scenario counts unrecovered reconnects; the server log says why each was.
            io.of("/")
                    .onRecoveryFailed((socket, reason) ->
                            System.err.println("recovery failed: " + reason + " (" + socket.id() + ")"));
        }
        io.on("echo", (socket, args) -> args.ack(args.nodes().toArray(JsonNode[]::new)));
        io.on("join", (socket, args) -> {
            socket.join("all");
            args.ack();
        });
        io.on("bcast", (socket, args) -> io.to("all").emit("tick", args.nodes().toArray()));
        return io;
    }

    /** The in-memory adapter, telling stderr when it keeps a session and when it is asked for one. */
    private static final class LoggingAdapter extends InMemoryAdapter {
        LoggingAdapter(Namespace nsp) {
            super(nsp);
        }

        @Override
        public void persistSession(PersistedSession session) {
            super.persistSession(session);
            System.err.println("recovery: " + System.nanoTime() + " kept " + session.pid() + " sid " + session.sid());
        }

        @Override
        public CompletableFuture<SessionRestore> restoreSession(String pid, Optional<String> offset) {
            System.err.println("recovery: " + System.nanoTime() + " asked " + pid);
            return super.restoreSession(pid, offset);
        }
    }
}
