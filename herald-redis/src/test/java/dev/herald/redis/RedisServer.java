package dev.herald.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real {@code redis-server} for tests: bound to 127.0.0.1, no persistence, stopped by {@link
 * #close()}.
 *
 * <p>Redis cannot bind port 0 and report the port, so this picks a random high port and tries
 * again with another one when the bind fails. {@link #stop()} and {@link #start()} keep the port,
 * so a test can take Redis away and bring it back where the clients reconnect.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int ATTEMPTS = 10;

    private final String password;
    private final boolean tls;
    private final List<String> extraArguments;
    private final Path dir;
    // owned by the test thread
    private int port;
    private Process process;

    private RedisServer(String password, boolean tls) {
        this(password, tls, List.of());
    }

    private RedisServer(String password, boolean tls, List<String> extraArguments) {
        this.password = password;
        this.tls = tls;
        this.extraArguments = extraArguments;
        try {
            this.dir = Files.createTempDirectory("herald-redis");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a server without a password.
     *
     * @throws IllegalStateException if {@code redis-server} is not installed or does not start
     */
    public static RedisServer launch() {
        return launch(null);
    }

    /** Starts a server that requires this password ({@code requirepass}), or none if null. */
    public static RedisServer launch(String password) {
        var server = new RedisServer(password, false);
        server.startOnFreePort();
        return server;
    }

    /**
     * Starts a server that speaks only TLS, with a fresh self-signed certificate for 127.0.0.1
     * ({@link #certificate()}); needs the {@code openssl} command.
     */
    public static RedisServer launchTls() {
        var server = new RedisServer(null, true);
        server.createCertificate();
        server.startOnFreePort();
        return server;
    }

    /**
     * Starts a node for a Redis Cluster ({@code cluster-enabled}, its own {@code nodes.conf}),
     * not yet part of one: {@link RedisCluster} joins the nodes. Its port leaves room for the
     * cluster bus port (port + 10000).
     */
    static RedisServer launchClusterNode(Duration nodeTimeout) {
        var server = new RedisServer(
                null,
                false,
                List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                        "--cluster-require-full-coverage", "no",
                        // a replica takes over however long ago it last heard from its master
                        "--cluster-replica-validity-factor", "0"));
        server.startOnFreePort();
        return server;
    }

    /** Whether the {@code openssl} command is there, for {@link #launchTls()}. */
    public static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The PEM certificate of a TLS server. */
    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** A URI for clients, with the password if there is one. */
    public String uri() {
        if (tls) {
            return "rediss://127.0.0.1:" + port;
        }
        return password == null ? "redis://127.0.0.1:" + port : "redis://:" + password + "@127.0.0.1:" + port;
    }

    /** Whether the server process is running. */
    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the server again on the same port, after {@link #stop()}. */
    public void start() {
        if (running()) {
            return;
        }
        if (!tryStart(port)) {
            throw new IllegalStateException("redis-server could not bind its old port " + port);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL) and waits until it is gone. */
    public void stop() {
        var p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the server at once (SIGKILL), as a crash, and waits until it is gone. */
    public void crash() {
        var p = process;
        if (p == null) {
            return;
        }
        try {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    private void startOnFreePort() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, extraArguments.isEmpty() ? 60_000 : 55_000);
            if (tryStart(candidate)) {
                return;
            }
        }
        throw new IllegalStateException("redis-server could not bind a port after " + ATTEMPTS + " attempts");
    }

    private boolean tryStart(int candidate) {
        var command = new ArrayList<>(List.of(executable()));
        if (tls) {
            command.addAll(List.of(
                    "--port", "0",
                    "--tls-port", Integer.toString(candidate),
                    "--tls-cert-file", certificate().toString(),
                    "--tls-key-file", dir.resolve("key.pem").toString(),
                    "--tls-auth-clients", "no"));
        } else {
            command.addAll(List.of("--port", Integer.toString(candidate)));
        }
        command.addAll(List.of(
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", dir.toString(),
                "--loglevel", "notice"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        command.addAll(extraArguments);
        Process started;
        try {
            started = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-server", e);
        }
        var ready = new CompletableFuture<Boolean>();
        var log = new StringBuilder();
        var reader = new Thread(
                () -> {
                    try (var lines = new BufferedReader(
                            new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            synchronized (log) {
                                log.append(line).append('\n');
                            }
                            if (line.contains("Ready to accept connections")) {
                                ready.complete(true);
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                    ready.complete(false);
                },
                "redis-server-log-" + candidate);
        reader.setDaemon(true);
        reader.start();
        boolean ok;
        try {
            ok = ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ok = false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (ok) {
            // a test JVM that dies must not leave redis-server running
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
            process = started;
            port = candidate;
            return true;
        }
        started.destroyForcibly();
        synchronized (log) {
            if (!log.toString().contains("Address already in use")) {
                throw new IllegalStateException("redis-server did not start:\n" + log);
            }
        }
        return false;
    }

    private void createCertificate() {
        try {
            var openssl = new ProcessBuilder(
                            "openssl",
                            "req",
                            "-x509",
                            "-newkey",
                            "rsa:2048",
                            "-nodes",
                            "-days",
                            "2",
                            "-keyout",
                            dir.resolve("key.pem").toString(),
                            "-out",
                            certificate().toString(),
                            "-subj",
                            "/CN=127.0.0.1",
                            "-addext",
                            "subjectAltName=IP:127.0.0.1")
                    .redirectErrorStream(true)
                    .start();
            var output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (openssl.waitFor() != 0) {
                throw new IllegalStateException("openssl could not create a certificate:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String executable() {
        for (var dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            var candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        for (var fixed : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(fixed))) {
                return fixed;
            }
        }
        throw new IllegalStateException(
                "redis-server is not installed: the Redis tests need it (apt-get install -y redis-server;"
                        + " ./herald test installs it)");
    }
}
