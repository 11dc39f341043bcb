package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.examples.interop.ClientProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Admin UI of {@code ./herald demo --admin-password PW}, driven by npm socket.io-client 4.8 as
 * the dashboard drives it: the login, the events it is told, the operations it sends, and the
 * dashboard's files at /admin-ui/.
 */
@Timeout(60)
class AdminUiDemoTest {

    private static final Duration T = Duration.ofSeconds(10);

    private DemoApp app;
    private final List<ClientProcess> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        app = TestDemo.start(Map.of("admin-password", "s3cret", "tutorial-work-ms", "0"));
    }

    @AfterEach
    void stop() {
        clients.forEach(ClientProcess::close);
        app.close();
    }

    private ClientProcess admin(Map<String, Object> auth) throws Exception {
        Map<String, Object> options = ClientProcess.options("websocket", false);
        options.put("auth", auth);
        ClientProcess c = ClientProcess.node("v4", TestDemo.url(app) + "admin", Map.of("options", options));
        clients.add(c);
        return c;
    }

    private ClientProcess tutorialClient() throws Exception {
        ClientProcess c = ClientProcess.node(
                "v4", TestDemo.url(app) + "testnamespace", Map.of("options", ClientProcess.options("polling", false)));
        clients.add(c);
        return c;
    }

    /** An emit whose arguments may be null, as the dashboard's filter is when no room is chosen. */
    private static void emit(ClientProcess c, String event, Object... args) {
        c.send(Map.of("cmd", "emit", "event", event, "args", Arrays.asList(args)));
    }

    private static Map<String, Object> login(String password) {
        Map<String, Object> auth = new HashMap<>();
        auth.put("username", "admin");
        auth.put("password", password);
        return auth;
    }

    @Test
    void aWrongPasswordIsRefusedWithNodesMessage() throws Exception {
        assertThat(admin(login("wrong"))
                        .await("connect_error", T)
                        .path("message")
                        .asText())
                .isEqualTo("invalid credentials");
    }

    @Test
    void theDashboardGetsItsSessionConfigSocketsStatsAndEvents() throws Exception {
        ClientProcess tutorial = tutorialClient();
        String appSocket = tutorial.await("connect", T).path("id").asText();

        ClientProcess admin = admin(login("s3cret"));
        admin.await("connect", T);
        String session = admin.awaitEvent("session", T).path("args").path(0).asText();
        assertThat(session).matches("[0-9a-f]{16}");
        assertThat(admin.awaitEvent("config", T).path("args").path(0).path("supportedFeatures"))
                .extracting(JsonNode::asText)
                .containsExactly(
                        "EMIT",
                        "JOIN",
                        "LEAVE",
                        "DISCONNECT",
                        "MJOIN",
                        "MLEAVE",
                        "MDISCONNECT",
                        "AGGREGATED_EVENTS",
                        "ALL_EVENTS");
        JsonNode all = admin.awaitEvent("all_sockets", T).path("args").path(0);
        JsonNode serialized = null;
        for (JsonNode s : all) {
            if (s.path("id").asText().equals(appSocket)) {
                serialized = s;
            }
        }
        assertThat(serialized).as("the tutorial socket in %s", all).isNotNull();
        assertThat(serialized.path("nsp").asText()).isEqualTo("/testnamespace");
        assertThat(serialized.path("transport").asText()).isEqualTo("polling");
        assertThat(serialized.path("clientId").asText()).hasSize(12);
        assertThat(serialized.path("rooms")).extracting(JsonNode::asText).containsExactly(appSocket);
        assertThat(serialized.path("handshake").path("headers").path("host").asText())
                .startsWith("127.0.0.1:");
        assertThat(serialized.path("handshake").path("issued").isNumber()).isTrue();
        JsonNode stats = admin.awaitEvent("server_stats", T).path("args").path(0);
        assertThat(stats.path("clientsCount").asInt()).isEqualTo(2);
        assertThat(stats.path("pollingClientsCount").asInt()).isEqualTo(1);
        assertThat(stats.path("namespaces").toString()).contains("{\"name\":\"/testnamespace\",\"socketsCount\":1}");

        tutorial.emit("request_for_response", Map.of());
        JsonNode received = admin.awaitEvent("event_received", T).path("args");
        assertThat(received.path(0).asText()).isEqualTo("/testnamespace");
        assertThat(received.path(1).asText()).isEqualTo(appSocket);
        assertThat(received.path(2).path(0).asText()).isEqualTo("request_for_response");
        assertThat(received.path(3).asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode sent = admin.awaitEvent("event_sent", T).path("args");
        assertThat(sent.path(2).path(0).asText()).isEqualTo("response");

        // The counts of the next stats: the connection made now, the packets and bytes it sent.
        ClientProcess another = tutorialClient();
        another.await("connect", T);
        another.emit("request_for_response", Map.of());
        Map<String, Long> counted = new HashMap<>();
        while (!counted.containsKey("rawConnection") || !counted.containsKey("bytesIn")) {
            for (JsonNode e :
                    admin.awaitEvent("server_stats", T).path("args").path(0).path("aggregatedEvents")) {
                assertThat(e.path("timestamp").asLong() % 1000).isZero();
                counted.merge(e.path("type").asText(), e.path("count").asLong(), Long::sum);
            }
        }
        assertThat(counted.get("bytesIn")).isGreaterThan(counted.get("packetsIn"));
        another.close();
        while (!counted.containsKey("rawDisconnection")) {
            for (JsonNode e :
                    admin.awaitEvent("server_stats", T).path("args").path(0).path("aggregatedEvents")) {
                counted.merge(e.path("type").asText(), e.path("count").asLong(), Long::sum);
            }
        }

        // The session id logs in again without the password, as the dashboard does on reload.
        ClientProcess again = admin(Map.of("sessionId", session));
        assertThat(again.await(T, e -> e.path("type").asText().matches("connect|connect_error"))
                        .path("type")
                        .asText())
                .isEqualTo("connect");
    }

    @Test
    void theDashboardsOperationsReachTheAppsSockets() throws Exception {
        ClientProcess tutorial = tutorialClient();
        String appSocket = tutorial.await("connect", T).path("id").asText();
        ClientProcess admin = admin(login("s3cret"));
        admin.awaitEvent("config", T);

        emit(admin, "join", "/testnamespace", "vip", null);
        JsonNode joined = admin.awaitEvent("room_joined", T).path("args");
        assertThat(joined.path(0).asText()).isEqualTo("/testnamespace");
        assertThat(joined.path(1).asText()).isEqualTo("vip");
        assertThat(joined.path(2).asText()).isEqualTo(appSocket);

        emit(admin, "emit", "/testnamespace", "vip", "notice", "hello vip");
        assertThat(tutorial.awaitEvent("notice", T).path("args").path(0).asText())
                .isEqualTo("hello vip");

        emit(admin, "leave", "/testnamespace", "vip", null);
        assertThat(admin.awaitEvent("room_left", T).path("args").path(1).asText())
                .isEqualTo("vip");

        emit(admin, "_disconnect", "/testnamespace", false, null);
        assertThat(tutorial.await("disconnect", T).path("reason").asText()).isEqualTo("io server disconnect");
        JsonNode gone = admin.awaitEvent("socket_disconnected", T).path("args");
        assertThat(gone.path(1).asText()).isEqualTo(appSocket);
        assertThat(gone.path(2).asText()).isEqualTo("server namespace disconnect");
    }

    @Test
    void theDashboardInChromiumListsTheDemosSockets() throws Exception {
        ClientProcess tutorial = tutorialClient();
        String appSocket = tutorial.await("connect", T).path("id").asText();
        ClientProcess admin = admin(login("s3cret"));
        String session = admin.awaitEvent("session", T).path("args").path(0).asText();

        Browser.Run run = Browser.run(
                "admin-ui",
                TestDemo.url(app),
                Map.of("sessionId", session, "namespace", "/testnamespace", "expectSocket", appSocket));

        assertThat(run.result().path("text").asText()).contains(appSocket, "/testnamespace");
        // Its icons from the app, not from a CDN (which this machine cannot reach).
        assertThat(run.result().path("icons").toString()).isEqualTo("[\"loaded\"]");
        assertThat(run.screenshots()).hasSize(1);
    }

    @Test
    void theDashboardIsServedFromTheApp() throws Exception {
        HttpResponse<String> index = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(TestDemo.url(app) + "admin-ui/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<title>Socket.IO Admin UI</title>");
        String script = index.body().replaceAll("(?s).*<script src=\"(js/app\\.[0-9a-f]+\\.js)\">.*", "$1");
        HttpResponse<String> js = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(TestDemo.url(app) + "admin-ui/" + script))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(js.statusCode()).isEqualTo(200);

        // The icon font is served beside the page, whose link to a CDN was rewritten at build time.
        assertThat(index.body())
                .doesNotContain("cdn.jsdelivr.net")
                .contains("vendor/mdi/css/materialdesignicons.min.css");
        HttpResponse<String> css = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        TestDemo.url(app) + "admin-ui/vendor/mdi/css/materialdesignicons.min.css"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.body()).contains("../fonts/materialdesignicons-webfont.woff2?v=");
        HttpResponse<byte[]> font = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(TestDemo.url(app)
                                        + "admin-ui/vendor/mdi/fonts/materialdesignicons-webfont.woff2?v=7.4.47"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(font.statusCode()).isEqualTo(200);
        assertThat(font.headers().firstValue("content-type")).hasValue("font/woff2");
        assertThat(new String(font.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("wOF2");
    }
}
