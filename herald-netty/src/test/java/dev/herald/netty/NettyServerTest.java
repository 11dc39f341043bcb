package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NettyServerTest {

    static EngineIoServer engine() {
        return EngineIoServer.create(EngineIoOptions.defaults(), s -> new EngineSocketListener() {
            @Override
            public void onMessage(EngineSocket socket, Message message) {}

            @Override
            public void onClose(EngineSocket socket, CloseReason reason, String d) {}
        });
    }

    @Nested
    class Lifecycle {
        @Test
        void portZeroBindsAFreePortAndCloseReleasesIt() throws IOException {
            NettyServer server = NettyServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .engine(engine())
                    .build()
                    .start();
            int port = server.port();
            assertThat(port).isPositive();
            server.close();
            assertThat(server.port()).isEqualTo(-1);
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        }

        @Test
        void closeStopsTheEventLoopThreads() throws Exception {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            NettyServer server = NettyServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .engine(engine())
                    .build()
                    .start();
            // make the loops start their threads
            {
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/nothing"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
            }
            Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
            started.removeAll(before);
            List<Thread> loops = started.stream()
                    .filter(t -> t.getName().contains("EventLoopGroup"))
                    .toList();
            assertThat(loops).isNotEmpty();
            server.close();
            for (Thread t : loops) {
                t.join(3000);
                assertThat(t.isAlive()).as(t.getName()).isFalse();
            }
        }

        @Test
        void bindingABusyPortFailsWithTheAddressInTheMessage() throws IOException {
            try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                assertThatThrownBy(() -> NettyServer.builder()
                                .host("127.0.0.1")
                                .port(busy.getLocalPort())
                                .engine(engine())
                                .build()
                                .start())
                        .hasMessageContaining("127.0.0.1:" + busy.getLocalPort());
            }
        }

        @Test
        void builderValidatesItsSettings() {
            assertThatThrownBy(() -> NettyServer.builder().build()).hasMessageContaining("engine");
            assertThatThrownBy(() ->
                            NettyServer.builder().engine(engine()).port(70000).build())
                    .hasMessageContaining("port");
            assertThatThrownBy(() ->
                            NettyServer.builder().engine(engine()).path("/").build())
                    .hasMessageContaining("path");
            assertThatThrownBy(() -> NettyServer.builder()
                            .engine(engine())
                            .corsAllowedOrigins("example.com")
                            .build())
                    .hasMessageContaining("corsAllowedOrigins");
            assertThat(NettyServer.builder().engine(engine()).path("io").build().path())
                    .isEqualTo("/io/");
            assertThat(NettyServer.builder().engine(engine()).build().path()).isEqualTo("/socket.io/");
            assertThat(NettyServer.builder().engine(engine()).build().host()).isEqualTo("0.0.0.0");
        }
    }

    @Nested
    class StaticContent {
        @TempDir
        Path dir;

        @Test
        void servesFilesFromADirectoryWithTheirContentTypes() throws Exception {
            Files.writeString(dir.resolve("index.html"), "<h1>hi</h1>");
            Files.writeString(dir.resolve("app.js"), "let a;");
            Files.writeString(dir.resolve("app.css"), "a{}");
            Files.writeString(dir.resolve("data.json"), "{}");
            Files.write(dir.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            Files.writeString(dir.resolve("logo.svg"), "<svg/>");
            Files.writeString(dir.resolve("notes.txt"), "n");
            try (TestServer server = TestServer.start(o -> o, s -> s.staticDirectory(dir))) {
                assertContent(server, "/", "text/html; charset=UTF-8", "<h1>hi</h1>");
                assertContent(server, "/app.js", "text/javascript; charset=UTF-8", "let a;");
                assertContent(server, "/app.css", "text/css; charset=UTF-8", "a{}");
                assertContent(server, "/data.json", "application/json", "{}");
                assertThat(server.get("/logo.png").headers().firstValue("content-type"))
                        .hasValue("image/png");
                assertContent(server, "/logo.svg", "image/svg+xml", "<svg/>");
                assertContent(server, "/notes.txt", "text/plain; charset=UTF-8", "n");
                assertThat(server.get("/missing.js").statusCode()).isEqualTo(404);
            }
        }

        @Test
        void refusesPathsThatLeaveTheRoot() throws Exception {
            Path inner = Files.createDirectory(dir.resolve("public"));
            Files.writeString(dir.resolve("secret.txt"), "secret");
            try (TestServer server = TestServer.start(o -> o, s -> s.staticDirectory(inner))) {
                try (Socket raw = new Socket("127.0.0.1", server.server.port())) {
                    raw.getOutputStream()
                            .write(("GET /../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(answer).startsWith("HTTP/1.1 404").doesNotContain("secret");
                }
                assertThat(server.get("/%2e%2e/secret.txt").statusCode()).isEqualTo(404);
            }
        }

        @Test
        void servesClasspathFilesUnderAPrefix() throws Exception {
            Path web = Files.createDirectories(dir.resolve("web"));
            Files.writeString(web.resolve("page.html"), "<p>cp</p>");
            try (URLClassLoader loader =
                            new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
                    TestServer server =
                            TestServer.start(o -> o, s -> s.classLoader(loader).staticClasspath("web"))) {
                assertContent(server, "/page.html", "text/html; charset=UTF-8", "<p>cp</p>");
            }
        }

        @Test
        void servesThePublicClasspathFolderWhenTheAppNamesNoStaticFiles() throws Exception {
            Path pub = Files.createDirectories(dir.resolve("public"));
            Files.writeString(pub.resolve("index.html"), "<p>public</p>");
            Files.writeString(dir.resolve("other.html"), "<p>outside</p>");
            try (URLClassLoader loader =
                            new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
                    TestServer server = TestServer.start(o -> o, s -> s.classLoader(loader))) {
                assertContent(server, "/", "text/html; charset=UTF-8", "<p>public</p>");
                assertThat(server.get("/other.html").statusCode()).isEqualTo(404);
            }
            // A folder of the app's own replaces the default one.
            try (URLClassLoader loader =
                            new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
                    TestServer server =
                            TestServer.start(o -> o, s -> s.classLoader(loader).staticDirectory(dir))) {
                assertContent(server, "/other.html", "text/html; charset=UTF-8", "<p>outside</p>");
                assertThat(server.get("/").statusCode()).isEqualTo(404);
            }
        }

        @Test
        void servesAnInlinePageAtItsExactPathBeforeAnyFile() throws Exception {
            Files.writeString(dir.resolve("index.html"), "<p>file</p>");
            try (TestServer server =
                    TestServer.start(o -> o, s -> s.staticDirectory(dir).page("/", "<p>inline é</p>"))) {
                assertContent(server, "/", "text/html; charset=UTF-8", "<p>inline é</p>");
                assertContent(server, "/index.html", "text/html; charset=UTF-8", "<p>file</p>");
            }
            assertThatThrownBy(() -> NettyServer.builder().page("index.html", "x"))
                    .hasMessage("page path must start with /, was index.html");
        }

        @Test
        void servesAClasspathFolderAtAUrlFolderOfItsOwn() throws Exception {
            Path app = Files.createDirectories(dir.resolve("bundled/app/js"));
            Files.writeString(app.getParent().resolve("index.html"), "<p>app</p>");
            Files.writeString(app.resolve("main.js"), "/* main */");
            try (URLClassLoader loader =
                            new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
                    TestServer server = TestServer.start(
                            o -> o, s -> s.classLoader(loader).staticClasspath("/dashboard/", "bundled/app"))) {
                assertContent(server, "/dashboard/", "text/html; charset=UTF-8", "<p>app</p>");
                assertContent(server, "/dashboard/js/main.js", "text/javascript; charset=UTF-8", "/* main */");
                assertThat(server.get("/dashboard").statusCode()).isEqualTo(301);
                assertThat(server.get("/dashboard/../bundled/app/index.html").statusCode())
                        .isEqualTo(404);
                assertThat(server.get("/dashboard/nothing.js").statusCode()).isEqualTo(404);
            }
        }

        @Test
        void servesADynamicPageComputedAnewForEachRequest() throws Exception {
            AtomicInteger hits = new AtomicInteger();
            try (TestServer server = TestServer.start(
                    o -> o,
                    s -> s.page("/metrics", "text/plain; charset=UTF-8", () -> "hits " + hits.incrementAndGet()))) {
                assertContent(server, "/metrics", "text/plain; charset=UTF-8", "hits 1");
                assertContent(server, "/metrics", "text/plain; charset=UTF-8", "hits 2");
            }
        }

        @Test
        void servesTheClientBundleWhenPresentAnd404WhenAbsentOrDisabled() throws Exception {
            Path client = Files.createDirectories(dir.resolve("dev/herald/client"));
            Files.writeString(client.resolve("socket.io.min.js"), "/* client */");
            Files.writeString(client.resolve("socket.io.min.js.map"), "{}");
            try (URLClassLoader loader =
                            new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
                    TestServer server = TestServer.start(o -> o, s -> s.classLoader(loader))) {
                assertContent(server, "/socket.io/socket.io.min.js", "text/javascript; charset=UTF-8", "/* client */");
                assertContent(server, "/socket.io/socket.io.min.js.map", "application/json", "{}");
                assertThat(server.get("/socket.io/socket.io.js").statusCode()).isEqualTo(404);
                assertThat(server.get("/socket.io/other.js").statusCode()).isEqualTo(404);
            }
            try (URLClassLoader loader =
                            new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
                    TestServer server =
                            TestServer.start(o -> o, s -> s.classLoader(loader).serveClient(false))) {
                assertThat(server.get("/socket.io/socket.io.min.js").statusCode())
                        .isEqualTo(404);
            }
        }

        @Test
        void servesEveryBuildOfTheNpmClientPackageAsNodeDoes() throws Exception {
            Path dist = Path.of("src/main/npm/node_modules/socket.io-client/dist");
            try (TestServer server = TestServer.start(o -> o, s -> s)) {
                for (String file : List.of("socket.io.min.js", "socket.io.msgpack.min.js", "socket.io.esm.min.js")) {
                    var response = server.get("/socket.io/" + file);
                    assertThat(response.statusCode()).as(file).isEqualTo(200);
                    assertThat(response.headers().firstValue("content-type"))
                            .contains("text/javascript; charset=UTF-8");
                    assertThat(response.body()).as(file).isEqualTo(Files.readString(dist.resolve(file)));
                    assertThat(server.get("/socket.io/" + file + ".map").statusCode())
                            .as(file + ".map")
                            .isEqualTo(200);
                }
                assertThat(server.get("/socket.io/socket.io.msgpack.js").statusCode())
                        .isEqualTo(404);
            }
        }

        @Test
        void aFolderAskedWithoutItsSlashRedirectsToTheSlashForm() throws Exception {
            Path site = Files.createDirectories(dir.resolve("site/docs"));
            Files.writeString(site.resolve("index.html"), "<p>docs</p>");
            Path jar = dir.resolve("web.jar");
            try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new JarEntry("web/"));
                out.putNextEntry(new JarEntry("web/docs/"));
                out.putNextEntry(new JarEntry("web/docs/index.html"));
                out.write("<p>jar docs</p>".getBytes(StandardCharsets.UTF_8));
            }
            try (TestServer server = TestServer.start(o -> o, s -> s.staticDirectory(dir.resolve("site")))) {
                assertRedirect(server, "/docs", "/docs/");
                assertRedirect(server, "/docs?tab=2", "/docs/?tab=2");
                assertContent(server, "/docs/", "text/html; charset=UTF-8", "<p>docs</p>");
            }
            // From a jar, a folder entry used to read as an empty 200 "file".
            try (URLClassLoader loader =
                            new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                    TestServer server =
                            TestServer.start(o -> o, s -> s.classLoader(loader).staticClasspath("web"))) {
                assertRedirect(server, "/docs", "/docs/");
                assertContent(server, "/docs/", "text/html; charset=UTF-8", "<p>jar docs</p>");
                assertThat(server.get("/nothing").statusCode()).isEqualTo(404);
            }
        }

        private void assertRedirect(TestServer server, String path, String location) throws Exception {
            HttpResponse<String> res = server.get(path);
            assertThat(res.statusCode()).as(path).isEqualTo(301);
            assertThat(res.headers().firstValue("location")).as(path).hasValue(location);
        }

        private void assertContent(TestServer server, String path, String type, String body) throws Exception {
            HttpResponse<String> res = server.get(path);
            assertThat(res.statusCode()).as(path).isEqualTo(200);
            assertThat(res.headers().firstValue("content-type")).as(path).hasValue(type);
            assertThat(res.body()).isEqualTo(body);
        }
    }
}
