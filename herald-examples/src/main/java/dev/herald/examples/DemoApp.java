package dev.herald.examples;

import dev.herald.admin.AdminUi;
import dev.herald.admin.AdminUiOptions;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.examples.ServerConfig.ConfigException;
import dev.herald.micrometer.HeraldMetrics;
import dev.herald.netty.NettyServer;
import dev.herald.redis.RedisAdapter;
import dev.herald.redis.ShardedRedisAdapter;
import dev.herald.redis.ShardedRedisAdapterOptions;
import dev.herald.redis.SubscriptionMode;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The demo app of {@code ./herald demo}: the tutorial, progress and chat demos plus their pages,
 * on one port.
 *
 * <p>Run: {@code DemoApp [--host H] [--port N] [--debug] [--config FILE] [--redis URI |
 * --redis-cluster URI] [--admin-password PW]} (see {@link ServerConfig}). With {@code --redis}, the
 * app is one node of a cluster: every node on that Redis serves the same chat rooms. With
 * {@code --redis-cluster} it is the same on a Redis Cluster, with the sharded adapter in dynamic
 * mode, so a node only gets the messages of rooms it has members in (see {@code docs/scaling.md}).
 * {@code GET /metrics} answers Herald's meters in Prometheus text (see {@code docs/operations.md}).
 * With {@code --admin-password PW}, the Socket.IO Admin UI is on: user {@code admin}, development
 * mode, the dashboard at {@code /admin-ui/}.
 * Ctrl-C shuts it down gracefully and exits 0.
 */
public final class DemoApp implements AutoCloseable {

    /** Where the pages live on the classpath. */
    static final String WEB = "dev/herald/examples/web/";
    /** How long running handlers and jobs may take to finish on shutdown, by default. */
    static final Duration GRACE = Duration.ofSeconds(5);
    /** The content type of Prometheus' text format, as scrapers expect it. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** The extra keys of {@link ServerConfig} the demo reads; any other is logged as unused. */
    static final List<String> KEYS =
            List.of("tutorial-work-ms", "progress-job-ms", "shutdown-grace-ms", "redis-cluster", "admin-password");

    private final SocketIoServer io;
    private final NettyServer server;
    private final RunningWork work;
    private final Duration grace;
    private final Optional<AdminUi> admin;

    private DemoApp(SocketIoServer io, NettyServer server, RunningWork work, Duration grace, Optional<AdminUi> admin) {
        this.io = io;
        this.server = server;
        this.work = work;
        this.grace = grace;
        this.admin = admin;
    }

    /** Starts the demos; blocks until the process is stopped (Ctrl-C). */
    public static void main(String[] args) throws InterruptedException {
        DemoApp app;
        ServerConfig config;
        try {
            config = ServerConfig.load(args);
            if (config.debug()) {
                // Must happen before the first logger exists: slf4j-simple reads it once.
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
            }
            app = start(config);
        } catch (ConfigException e) {
            System.err.println("herald demo: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IllegalStateException e) {
            // "cannot bind host:port: reason" or "cannot reach Redis at ...": a stack trace would hide it.
            System.err.println("herald demo: " + e.getMessage());
            System.exit(1);
            return;
        }
        // The hook goes in before the URL is printed: whoever sees the URL may Ctrl-C at once.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            app.close();
                            System.out.println("Herald demo stopped");
                            System.out.flush();
                            System.err.flush();
                            // A JVM stopped by SIGINT exits with 130 after its hooks; a clean shutdown is 0.
                            Runtime.getRuntime().halt(0);
                        },
                        "herald-demo-shutdown"));
        System.out.println("Herald demo running at http://localhost:" + app.port() + "/"
                // Not the URI itself: it may carry a password.
                + (config.redisUri().isPresent()
                        ? " as a cluster node on Redis"
                        : redisCluster(config).isPresent() ? " as a cluster node on a Redis Cluster" : ""));
        if (config.extra().containsKey("admin-password")) {
            System.out.println("Admin UI at http://localhost:" + app.port() + "/admin-ui/ (server http://localhost:"
                    + app.port() + ", user admin)");
        }
        new CountDownLatch(1).await();
    }

    /**
     * Starts the demos on {@code config}'s host and port. Extra keys {@code tutorial-work-ms},
     * {@code progress-job-ms} and {@code shutdown-grace-ms} change the demos' timings (for tests);
     * any other key is logged at WARN, so a mistyped {@code --redis} does not start a lone node
     * without a word.
     *
     * @throws ConfigException for a bad extra value
     */
    public static DemoApp start(ServerConfig config) {
        Duration tutorialWork = millis(config, "tutorial-work-ms", TutorialDemo.DEFAULT_WORK);
        Duration jobDuration = millis(config, "progress-job-ms", ProgressDemo.DEFAULT_DURATION);
        Duration grace = millis(config, "shutdown-grace-ms", GRACE);
        Optional<String> redisCluster = redisCluster(config);
        config.warnUnusedKeys(KEYS);
        RunningWork work = new RunningWork();
        // allowEio3: the tutorial-1x page uses the tutorial's original socket.io 1.3.6 client.
        SocketIoOptions.Builder options = SocketIoOptions.builder()
                .engine(EngineIoOptions.builder().allowEio3(true).build());
        // A cluster node: rooms and broadcasts are shared with every node on this Redis.
        config.redisUri().ifPresent(uri -> options.adapterFactory(redis(uri)));
        // Or on a Redis Cluster, over sharded pub/sub; the factory connects in the background.
        redisCluster.ifPresent(
                uri -> options.adapterFactory(ShardedRedisAdapter.factory(ShardedRedisAdapterOptions.builder(uri)
                        .subscriptionMode(SubscriptionMode.DYNAMIC)
                        .build())));
        SocketIoServer io = SocketIoServer.create(options.build());
        registerDemos(io, tutorialWork, jobDuration, work);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HeraldMetrics.bind(io, metrics);
        Optional<AdminUi> admin = Optional.ofNullable(config.extra().get("admin-password"))
                .map(password -> AdminUi.instrument(
                        io,
                        AdminUiOptions.builder()
                                .basicAuth("admin", AdminUi.hashPassword(password))
                                .mode(AdminUiOptions.Mode.DEVELOPMENT)
                                .build()));
        NettyServer.Builder builder = NettyServer.builder()
                .host(config.host())
                .port(config.port())
                .engine(io.engine())
                .page("/metrics", PROMETHEUS_TEXT, metrics::scrape)
                .staticClasspath(WEB)
                .classLoader(DemoApp.class.getClassLoader());
        admin.ifPresent(a -> builder.staticClasspath("/admin-ui/", AdminUi.DASHBOARD_CLASSPATH));
        NettyServer server = builder.build().start();
        return new DemoApp(io, server, work, grace, admin);
    }

    /**
     * Registers the tutorial ({@code /testnamespace}), progress (the main namespace) and chat
     * ({@code /chat}) demos on {@code io}, for an application that serves {@link #WEB}'s pages
     * itself, as herald-examples-spring's Spring Boot app does. Its shutdown is the server's
     * {@code close(grace)}: running handlers get the grace, and each progress job stops with its socket.
     */
    public static void registerDemos(SocketIoServer io, Duration tutorialWork, Duration jobDuration) {
        registerDemos(io, tutorialWork, jobDuration, new RunningWork());
    }

    private static void registerDemos(
            SocketIoServer io, Duration tutorialWork, Duration jobDuration, RunningWork work) {
        io.register(new TutorialDemo(tutorialWork, work));
        new ProgressDemo(io, jobDuration, work).register();
        new ChatDemo(io).register();
    }

    /** The Socket.IO server (for tests). */
    SocketIoServer io() {
        return io;
    }

    /** The handlers and jobs running now (for tests). */
    RunningWork runningWork() {
        return work;
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /**
     * Shuts down gracefully: every client is told, running handlers and jobs get up to
     * {@link #GRACE} (5 s) to finish (jobs are cancelled as their sockets go), then the port closes.
     */
    @Override
    public void close() {
        admin.ifPresent(AdminUi::close);
        io.close();
        try {
            int running = work.running();
            if (running > 0) {
                // Said out loud so a Ctrl-C that takes a few seconds does not look like a hang.
                LoggerFactory.getLogger(DemoApp.class)
                        .info(
                                "waiting up to {} s for {} running handlers and jobs",
                                grace.toMillis() / 1000.0,
                                running);
            }
            if (!work.awaitIdle(grace)) {
                LoggerFactory.getLogger(DemoApp.class)
                        .warn(
                                "{} handlers or jobs still running after {} s; stopping anyway",
                                work.running(),
                                grace.toMillis() / 1000.0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
    }

    /**
     * The Redis Cluster of {@code --redis-cluster URI}, if given.
     *
     * @throws ConfigException if it is not a Redis URI, or {@code --redis} is given too
     */
    static Optional<String> redisCluster(ServerConfig config) {
        Optional<String> uri =
                Optional.ofNullable(config.extra().get("redis-cluster")).filter(s -> !s.isBlank());
        if (uri.isPresent() && config.redisUri().isPresent()) {
            throw new ConfigException("redis-cluster: give either --redis or --redis-cluster, not both");
        }
        if (uri.isPresent() && !uri.get().startsWith("redis://") && !uri.get().startsWith("rediss://")) {
            // The value is not echoed: a Redis URI may carry a password.
            throw new ConfigException("redis-cluster: must start with redis:// or rediss://");
        }
        return uri;
    }

    /**
     * The Redis adapter, connected now: it waits while Redis is unreachable (logging each
     * attempt); a refused connection (wrong password) is a one-line startup error.
     */
    private static RedisAdapter.Factory redis(String uri) {
        try {
            return RedisAdapter.factory(uri);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach Redis at " + hostAndPort(uri) + ": " + e.getMessage(), e);
        }
    }

    /** Host and port only: the URI may carry a password. */
    private static String hostAndPort(String uri) {
        try {
            URI u = URI.create(uri);
            return u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort());
        } catch (IllegalArgumentException e) {
            return "the given URI";
        }
    }

    private static Duration millis(ServerConfig config, String key, Duration fallback) {
        String value = config.extra().get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long ms = Long.parseLong(value.trim());
            if (ms >= 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the one-line message.
        }
        throw new ConfigException(key + ": must be a whole number of milliseconds, got '" + value + "'");
    }
}
