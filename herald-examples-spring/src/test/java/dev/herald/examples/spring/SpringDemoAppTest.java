package dev.herald.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./herald demo --spring}'s application as its main method starts it (its own
 * application.properties, the admin password argument), on a free port: the pages, the client
 * bundles, the demos over both transports, Actuator and the Admin UI answer on that one port.
 */
class SpringDemoAppTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TUTORIAL_WORK = Duration.ofMillis(600);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext app;
    private static int port;

    @BeforeAll
    static void start() {
        app = TestApp.start(TUTORIAL_WORK, Duration.ofMillis(500), "--admin-password", "s3cret");
        port = TestApp.port(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePagesAndTheClientBundlesAnswerOnTheApplicationsPort() throws Exception {
        assertThat(get("/").body()).contains("href=\"/tutorial/\"", "href=\"/chat/\"", "href=\"/progress/\"");
        for (String page : new String[] {"tutorial", "progress", "chat"}) {
            HttpResponse<String> r = get("/" + page + "/");
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.body()).as(page).contains("/socket.io/socket.io.min.js");
            assertThat(get("/" + page).statusCode()).as(page).isEqualTo(302);
        }
        assertThat(get("/tutorial-1x/").body()).contains("/tutorial-1x/socket.io-1.3.6.js");
        assertThat(get("/tutorial-1x/socket.io-1.3.6.js").statusCode()).isEqualTo(200);
        HttpResponse<String> bundle = get("/socket.io/socket.io.min.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).startsWith("/*!\n * Socket.IO v4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void theTutorialsFirstResponseArrivesWhileItsHandlerStillWorks(String transport) {
        try (SocketIoTestClient c = SocketIoTestClient.builder(port)
                .transport(transport)
                .namespace("/testnamespace")
                .connect()) {
            c.emit("request_for_response", Map.of("param", "value"));
            ReceivedEvent first = c.nextEvent("response", WAIT);
            ReceivedEvent second = c.nextEvent("response", WAIT);
            assertThat(first.arg(0).path("msg").asText()).isEqualTo("start to process...");
            assertThat(second.arg(0).path("msg").asText()).isEqualTo("processed");
            assertThat(Duration.ofNanos(second.nanoTime() - first.nanoTime()))
                    .isGreaterThanOrEqualTo(TUTORIAL_WORK.minusMillis(50));
        }
    }

    @Test
    void theChatAndProgressDemosAnswer() {
        try (SocketIoTestClient chat =
                        SocketIoTestClient.builder(port).namespace("/chat").connect();
                SocketIoTestClient progress = SocketIoTestClient.builder(port).connect()) {
            JsonNode joined = chat.emitWithAck("join", Map.of("name", "ada", "room", "lobby"))
                    .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .join()
                    .get(0);
            assertThat(joined.path("ok").asBoolean()).isTrue();
            progress.emit("start_job", Map.of("steps", 20));
            assertThat(progress.nextEvent("progress", WAIT).arg(0).path("step").asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void actuatorShowsTheSocketioHealthComponentAndHeraldsMeters() throws Exception {
        try (SocketIoTestClient c =
                SocketIoTestClient.builder(port).namespace("/testnamespace").connect()) {
            HttpResponse<String> health = get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode socketio = new ObjectMapper()
                    .readTree(health.body())
                    .path("components")
                    .path("socketio");
            assertThat(socketio.path("status").asText()).isEqualTo("UP");
            assertThat(socketio.path("details")
                            .path("sockets")
                            .path("/testnamespace")
                            .asInt())
                    .isGreaterThanOrEqualTo(1);
            assertThat(get("/actuator/prometheus").body())
                    .containsPattern("socketio_sockets_connected\\{[^}]*namespace=\"/testnamespace\"[^}]*} [1-9]");
        }
    }

    @Test
    void theAdminPasswordArgumentTurnsTheAdminUiOn() throws Exception {
        assertThat(get("/admin-ui/").body()).contains("<div id=\"app\">");
        JsonNode refused = SocketIoTestClient.builder(port)
                .namespace("/admin")
                .auth(Map.of("username", "admin", "password", "wrong"))
                .connectExpectingError();
        assertThat(refused.path("message").asText()).isEqualTo("invalid credentials");
        try (SocketIoTestClient admin = SocketIoTestClient.builder(port)
                .namespace("/admin")
                .auth(Map.of("username", "admin", "password", "s3cret"))
                .connect()) {
            assertThat(admin.sid()).isNotEmpty();
        }
    }

    @Test
    void engineIoV3ClientsMayConnectForTheTutorial1xPage() throws Exception {
        HttpResponse<String> open = get("/socket.io/?EIO=3&transport=polling");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).contains("\"sid\"");
    }
}
