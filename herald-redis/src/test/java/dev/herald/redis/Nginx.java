package dev.herald.redis;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real nginx for tests, running the documented {@code docs/nginx/herald-cluster.conf} with the
 * ports of the test's nodes, in a temp directory of its own: its pid file, logs and temp paths are
 * there, so it runs (as root or not) without touching {@code /etc/nginx} or {@code /var}.
 *
 * <p>nginx cannot bind port 0 and report the port, so this asks the kernel for a free loopback
 * port and starts nginx on it, and tries again with another one when nginx cannot bind it.
 *
 * <p>The access log records, for every request, the client address, the node that answered
 * ({@code $upstream_addr}), the status and the request line, so a test can check where each
 * session's requests went.
 */
final class Nginx implements AutoCloseable {

    /** The documented config, relative to the module directory surefire runs in. */
    static final Path TEMPLATE = Path.of("../docs/nginx/herald-cluster.conf");

    private static final String[] EXAMPLE_NODES = {"127.0.0.1:3001", "127.0.0.1:3002", "127.0.0.1:3003"};
    private static final String EXAMPLE_LISTEN = "listen 8080;";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int ATTEMPTS = 10;
    private static final Pattern ACCESS_LINE = Pattern.compile("^(\\S+) (\\S+) (\\d{3}) \"(\\S+) (\\S+) [^\"]*\"$");

    /** One line of the access log. */
    record Request(String clientAddress, String upstream, int status, String method, String uri) {
        /** The Engine.IO sid of the request, if it has one. */
        Optional<String> sid() {
            var m = Pattern.compile("[?&]sid=([^&]+)").matcher(uri);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }

        /** The transport query parameter. */
        String transport() {
            var m = Pattern.compile("[?&]transport=([^&]+)").matcher(uri);
            return m.find() ? m.group(1) : "";
        }
    }

    private final Path dir;
    // owned by the test thread
    private int port;
    private Process process;

    private Nginx(Path dir) {
        this.dir = dir;
    }

    /** Starts nginx on the documented config with these three node ports. */
    static Nginx launch(List<Integer> nodePorts) {
        return launch(nodePorts, UnaryOperator.identity());
    }

    /**
     * Starts nginx on the documented config with these three node ports, after {@code edit} (for
     * tests of a deliberately different config, such as one without stickiness).
     */
    static Nginx launch(List<Integer> nodePorts, UnaryOperator<String> edit) {
        if (nodePorts.size() != EXAMPLE_NODES.length) {
            throw new IllegalArgumentException("the documented config has " + EXAMPLE_NODES.length + " nodes");
        }
        String site;
        try {
            site = Files.readString(TEMPLATE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + TEMPLATE.toAbsolutePath(), e);
        }
        for (int i = 0; i < EXAMPLE_NODES.length; i++) {
            site = replaceOnce(site, "server " + EXAMPLE_NODES[i] + ";", "server 127.0.0.1:" + nodePorts.get(i) + ";");
        }
        site = edit.apply(site);
        try {
            var dir = Files.createTempDirectory("herald-nginx");
            // when the master runs as root its workers run as nobody, and must reach the temp paths
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            var nginx = new Nginx(dir);
            nginx.startOnFreePort(site);
            return nginx;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The port nginx listens on (127.0.0.1). */
    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The site config nginx runs: the documented file with the test's ports. */
    String siteConfig() {
        try {
            return Files.readString(dir.resolve("herald-cluster.conf"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every request nginx has logged so far. */
    List<Request> requests() {
        var out = new ArrayList<Request>();
        try {
            for (var line : Files.readAllLines(dir.resolve("access.log"), StandardCharsets.UTF_8)) {
                Matcher m = ACCESS_LINE.matcher(line);
                if (m.matches()) {
                    out.add(new Request(m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(4), m.group(5)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** nginx's error log, for failure messages. */
    String errorLog() {
        try {
            return Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "(no error log: " + e + ")";
        }
    }

    /** Stops nginx (SIGTERM, then SIGKILL for it and its workers) and removes its directory. */
    @Override
    public void close() {
        var p = process;
        if (p != null) {
            var workers = p.descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            workers.forEach(ProcessHandle::destroyForcibly);
            process = null;
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    private void startOnFreePort(String site) throws IOException {
        for (int i = 0; i < ATTEMPTS; i++) {
            int candidate;
            try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                candidate = probe.getLocalPort();
            }
            // another process may take the port between the probe and nginx's bind: then try again
            if (tryStart(site, candidate)) {
                return;
            }
        }
        throw new IllegalStateException("nginx could not bind a port after " + ATTEMPTS + " attempts:\n" + errorLog());
    }

    private boolean tryStart(String site, int candidate) throws IOException {
        Files.writeString(
                dir.resolve("herald-cluster.conf"),
                replaceOnce(site, EXAMPLE_LISTEN, "listen 127.0.0.1:" + candidate + ";"));
        Files.writeString(dir.resolve("nginx.conf"), mainConfig());
        Files.deleteIfExists(dir.resolve("error.log"));
        Files.deleteIfExists(dir.resolve("nginx.pid"));
        var started = new ProcessBuilder(
                        executable(),
                        "-p",
                        dir + "/",
                        "-e",
                        dir.resolve("error.log").toString(),
                        "-c",
                        dir.resolve("nginx.conf").toString(),
                        "-g",
                        "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                if (errorLog().contains("Address already in use")) {
                    return false;
                }
                throw new IllegalStateException("nginx did not start:\n" + errorLog() + readOrEmpty("stdout.log"));
            }
            // the pid file is written once the listening socket is bound
            if (Files.exists(dir.resolve("nginx.pid")) && accepts(candidate)) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.descendants().forEach(ProcessHandle::destroyForcibly);
                    started.destroyForcibly();
                }));
                process = started;
                port = candidate;
                return true;
            }
            try {
                // Looks again in 20 ms, or at once if nginx exits meanwhile.
                started.onExit().get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        started.destroyForcibly();
        throw new IllegalStateException("nginx did not listen within " + START_TIMEOUT + ":\n" + errorLog());
    }

    private String mainConfig() {
        return """
                # written by the test: everything nginx writes stays in this directory
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                worker_processes 1;
                events { worker_connections 1024; }
                http {
                    log_format herald '$remote_addr $upstream_addr $status "$request"';
                    access_log %1$s/access.log herald;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/herald-cluster.conf;
                }
                """.formatted(dir);
    }

    private String readOrEmpty(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean accepts(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Replaces the one occurrence of {@code from}; the documented file must still contain it once. */
    static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException(
                    "expected exactly one '" + from + "' in " + TEMPLATE + "; the test fills in its ports there");
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private static String executable() {
        var path = System.getenv().getOrDefault("PATH", "/usr/bin");
        var dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"));
        for (var d : dirs) {
            var candidate = Path.of(d, "nginx");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(
                "nginx is not installed: the sticky-session test needs it (apt-get install -y nginx;"
                        + " ./herald test installs it)");
    }
}
