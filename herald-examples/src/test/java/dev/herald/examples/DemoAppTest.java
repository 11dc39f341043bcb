package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.examples.ServerConfig.ConfigException;
import dev.herald.examples.interop.ClientProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DemoAppTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Nested
    class InProcess {

        @Test
        void servesThePagesWithIndexHtmlForFoldersAndRedirectsAFolderWithoutItsSlash() throws Exception {
            try (DemoApp app = TestDemo.start(Map.of())) {
                assertThat(get(app, "/").body()).contains("<title>Herald demos</title>");
                assertThat(get(app, "/progress/").body()).contains("<title>Progress</title>");
                assertThat(get(app, "/chat/").body()).contains("<title>Chat</title>");
                assertThat(get(app, "/tutorial/").body()).contains("/socket.io/socket.io.min.js");
                assertThat(get(app, "/tutorial-1x/").body()).contains("/tutorial-1x/socket.io-1.3.6.js");
                assertThat(get(app, "/style.css").headers().firstValue("content-type"))
                        .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
                assertThat(get(app, "/tutorial-1x/socket.io-1.3.6.js").statusCode())
                        .isEqualTo(200);
                assertThat(get(app, "/socket.io/socket.io.min.js").statusCode()).isEqualTo(200);
                assertThat(get(app, "/no-such-page").statusCode()).isEqualTo(404);
                HttpResponse<String> folder = get(app, "/progress");
                assertThat(folder.statusCode()).isEqualTo(301);
                assertThat(folder.headers().firstValue("location")).hasValue("/progress/");
            }
        }

        @Test
        void metricsCountTheTutorialClientsInPrometheusText() throws Exception {
            try (DemoApp app = TestDemo.start(Map.of("tutorial-work-ms", "0"))) {
                try (ClientProcess client = ClientProcess.node("v4", TestDemo.url(app) + "testnamespace", Map.of())) {
                    client.await("connect", Duration.ofSeconds(10));
                    client.emit("request_for_response", Map.of());
                    client.awaitEvent("response", Duration.ofSeconds(5));
                    HttpResponse<String> metrics = get(app, "/metrics");
                    assertThat(metrics.headers().firstValue("content-type")).hasValue(DemoApp.PROMETHEUS_TEXT);
                    assertThat(metrics.body())
                            .contains(
                                    "socketio_sockets_connected{namespace=\"/testnamespace\"} 1.0",
                                    "socketio_events_received_total{namespace=\"/testnamespace\"} 1.0");
                }
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> get(app, "/metrics")
                                .body()
                                .contains("socketio_sockets_connected{namespace=\"/testnamespace\"} 0.0"));
            }
        }

        @Test
        void aBadTuningValueIsAOneLineConfigError() {
            assertThatThrownBy(() -> TestDemo.start(Map.of("tutorial-work-ms", "soon")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("tutorial-work-ms: must be a whole number of milliseconds, got 'soon'");
        }

        @Test
        void closeLetsARunningHandlerFinishThenClosesThePort() throws Exception {
            DemoApp app = TestDemo.start(Map.of("tutorial-work-ms", "1500"));
            int port = app.port();
            try (ClientProcess client = ClientProcess.node("v4", TestDemo.url(app) + "testnamespace", Map.of())) {
                client.await("connect", Duration.ofSeconds(10));
                long asked = System.nanoTime();
                client.emit("request_for_response", Map.of());
                client.awaitEvent("response", Duration.ofSeconds(5));
                assertThat(app.runningWork().running()).isEqualTo(1);

                long began = System.nanoTime();
                app.close();
                long ended = System.nanoTime();

                assertThat(client.await("disconnect", Duration.ofSeconds(5))).isNotNull();
                assertThat(app.runningWork().running()).isZero();
                // The handler started after the emit and works 1.5 s, so a close that waited for it
                // cannot return earlier than that.
                assertThat(Duration.ofNanos(ended - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
                assertThat(Duration.ofNanos(ended - began)).isLessThan(DemoApp.GRACE.plusSeconds(2));
            }
            assertThat(refused(port)).as("port %d closed", port).isTrue();
        }

        @Test
        void closeWaitsNoLongerThanTheGraceForAHandlerThatWorksOn() throws Exception {
            DemoApp app = TestDemo.start(Map.of("tutorial-work-ms", "20000", "shutdown-grace-ms", "300"));
            int port = app.port();
            try (ClientProcess client = ClientProcess.node("v4", TestDemo.url(app) + "testnamespace", Map.of())) {
                client.await("connect", Duration.ofSeconds(10));
                client.emit("request_for_response", Map.of());
                client.awaitEvent("response", Duration.ofSeconds(5));

                long began = System.nanoTime();
                app.close();

                assertThat(Duration.ofNanos(System.nanoTime() - began))
                        .isBetween(Duration.ofMillis(300), Duration.ofSeconds(4));
                assertThat(app.runningWork().running())
                        .as("the handler still sleeps")
                        .isEqualTo(1);
            }
            assertThat(refused(port)).as("port %d closed", port).isTrue();
        }

        @Test
        void aRedisClusterUriIsCheckedAndExcludesRedis() {
            var both = new ServerConfig(
                    "127.0.0.1",
                    0,
                    false,
                    Optional.of("redis://127.0.0.1:1"),
                    Map.of("redis-cluster", "redis://127.0.0.1:2"));
            assertThatThrownBy(() -> DemoApp.start(both))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("redis-cluster: give either --redis or --redis-cluster, not both");
            var wrongScheme = new ServerConfig(
                    "127.0.0.1", 0, false, Optional.empty(), Map.of("redis-cluster", "http://:secret@127.0.0.1:2"));
            assertThatThrownBy(() -> DemoApp.start(wrongScheme))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("redis-cluster: must start with redis:// or rediss://");
        }
    }

    @Nested
    class AsAProcess {

        @Test
        void aBadValuePrintsOneLineAndExitsNonZero() throws Exception {
            Process p = demoProcess("--port", "nope");
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            List<String> err = lines(p.errorReader(StandardCharsets.UTF_8));
            List<String> out = lines(p.inputReader(StandardCharsets.UTF_8));

            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(err).containsExactly("herald demo: port: must be a whole number from 0 to 65535, got 'nope'");
            assertThat(out).isEmpty();
        }

        @Test
        void sigintDisconnectsClientsClosesThePortAndExitsZero() throws Exception {
            Process p = demoProcess("--host", "127.0.0.1", "--port", "0");
            try {
                BlockingQueue<String> out = pump(p.inputReader(StandardCharsets.UTF_8));
                pump(p.errorReader(StandardCharsets.UTF_8));
                int port = awaitPort(out);
                try (ClientProcess client = ClientProcess.node("v4", "http://127.0.0.1:" + port + "/", Map.of())) {
                    client.await("connect", Duration.ofSeconds(10));

                    long signalled = System.nanoTime();
                    signal("INT", p.pid());

                    JsonNode disconnect = client.await("disconnect", Duration.ofSeconds(5));
                    assertThat(disconnect.path("reason").asText()).isNotBlank();
                    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exited").isTrue();
                    System.out.printf(
                            "SIGINT: client saw '%s', process exited %d ms after the signal%n",
                            disconnect.path("reason").asText(), (System.nanoTime() - signalled) / 1_000_000);
                    assertThat(p.exitValue()).isZero();
                    assertThat(refused(port)).isTrue();
                    assertThat(drain(out)).contains("Herald demo stopped");
                }
            } finally {
                p.destroyForcibly();
            }
        }

        @Test
        void aKeyNothingReadsIsNamedInAWarningAtStartup() throws Exception {
            Process p = demoProcess("--host", "127.0.0.1", "--port", "0", "--redis-url", "redis://127.0.0.1:1");
            try {
                BlockingQueue<String> out = pump(p.inputReader(StandardCharsets.UTF_8));
                BlockingQueue<String> err = pump(p.errorReader(StandardCharsets.UTF_8));
                awaitPort(out);
                String line;
                while ((line = err.poll(10, TimeUnit.SECONDS)) != null && line != EOF && !line.contains(" WARN ")) {
                    // skip INFO lines
                }
                assertThat(line)
                        .as("a WARN line on stderr")
                        .isNotNull()
                        .contains("ignoring setting 'redis-url'")
                        .doesNotContain("127.0.0.1:1");
            } finally {
                p.destroyForcibly();
            }
        }

        @Test
        void debugFlagTurnsOnDebugLogs() throws Exception {
            Process p = demoProcess("--host", "127.0.0.1", "--port", "0", "--debug");
            try {
                BlockingQueue<String> out = pump(p.inputReader(StandardCharsets.UTF_8));
                BlockingQueue<String> err = pump(p.errorReader(StandardCharsets.UTF_8));
                int port = awaitPort(out);
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                String line;
                while ((line = err.poll(10, TimeUnit.SECONDS)) != null && !line.contains(" DEBUG ")) {
                    // skip INFO lines
                }
                assertThat(line).as("a DEBUG line on stderr").isNotNull();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> get(DemoApp app, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean refused(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    /**
     * The demo's main in a child JVM with the test class path. {@code env --default-signal=INT}
     * undoes an inherited "ignore SIGINT" (what a shell gives background jobs), so the test sees
     * what Ctrl-C in a terminal does.
     */
    private static Process demoProcess(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "env",
                "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DemoApp.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    /** Java has no signal API; kill(1) sends it. */
    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0)
                .as("kill -%s %d", name, pid)
                .isTrue();
    }

    private static int awaitPort(BlockingQueue<String> out) throws InterruptedException {
        Pattern url = Pattern.compile("^Herald demo running at http://localhost:(\\d+)/$");
        String line = out.poll(20, TimeUnit.SECONDS);
        assertThat(line).as("the first line of stdout").isNotNull();
        Matcher m = url.matcher(line);
        assertThat(m.matches()).as("'%s' matches %s", line, url).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Marks the end of a pumped stream (compared by identity). */
    private static final String EOF = new String("EOF");

    private static BlockingQueue<String> pump(BufferedReader reader) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The process ended.
            } finally {
                lines.add(EOF);
            }
        });
        return lines;
    }

    /** The lines left until the stream ends. */
    private static List<String> drain(BlockingQueue<String> lines) throws InterruptedException {
        List<String> out = new ArrayList<>();
        String line;
        while ((line = lines.poll(5, TimeUnit.SECONDS)) != null && line != EOF) {
            out.add(line);
        }
        return out;
    }

    private static List<String> lines(BufferedReader reader) throws IOException {
        try (reader) {
            return reader.lines().toList();
        }
    }
}
