package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.spring.app.ChatApp;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The README's application with Actuator, Micrometer's Prometheus registry and herald-admin-ui on
 * the class path: the socketio health component, Herald's meters at /actuator/prometheus, and the
 * Admin UI's namespace and dashboard from herald.admin-ui.* on the application's port.
 */
@SpringBootTest(
        classes = ChatApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "management.endpoints.web.exposure.include=health,prometheus",
            "management.endpoint.health.show-details=always",
            // spring-data-redis is on the test class path for RedisReuseTest; no Redis runs here.
            "management.health.redis.enabled=false",
            "herald.admin-ui.enabled=true",
            "herald.admin-ui.auth=false",
        })
class ActuatorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Test
    void healthHasAnUpSocketioComponentCountingSockets() throws Exception {
        try (SocketIoTestClient c =
                SocketIoTestClient.builder(port).namespace("/chat").connect()) {
            JsonNode socketio = JSON.readTree(Http.get(port, "/actuator/health").body())
                    .path("components")
                    .path("socketio");
            assertThat(socketio.path("status").asText()).isEqualTo("UP");
            assertThat(socketio.path("details").path("server").asText()).isEqualTo("serving");
            assertThat(socketio.path("details").path("sockets").path("/chat").asInt())
                    .isGreaterThanOrEqualTo(1);
            assertThat(socketio.path("details").has("redis")).isFalse();
        }
    }

    @Test
    void heraldsMetersAreInTheApplicationsPrometheusScrape() {
        try (SocketIoTestClient c =
                SocketIoTestClient.builder(port).namespace("/chat").connect()) {
            c.emit("message", "hi");
            c.nextEvent("message", WAIT);
            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                String scrape = Http.get(port, "/actuator/prometheus").body();
                assertThat(scrape).containsPattern("socketio_sockets_connected\\{[^}]*namespace=\"/chat\"[^}]*} [1-9]");
                assertThat(scrape)
                        .containsPattern("socketio_events_received_total\\{[^}]*namespace=\"/chat\"[^}]*} [1-9]");
            });
        }
    }

    @Test
    void theAdminUiNamespaceAndDashboardAnswerOnTheApplicationsPort() throws Exception {
        try (SocketIoTestClient admin =
                SocketIoTestClient.builder(port).namespace("/admin").connect()) {
            // In development mode the admin socket's own connect and join are reported to it too, and
            // may come before its config, as in Node.
            ReceivedEvent event = admin.nextEvent(WAIT);
            while (!event.name().equals("config")) {
                assertThat(event.name()).isIn("room_joined", "socket_connected");
                event = admin.nextEvent(WAIT);
            }
            assertThat(event.arg(0).path("supportedFeatures").isArray()).isTrue();
        }
        HttpResponse<String> index = Http.get(port, "/admin-ui/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<div id=\"app\">", "vendor/mdi/css/materialdesignicons.min.css");
        // The icon font the page links is served beside it (no CDN).
        HttpResponse<String> font =
                Http.get(port, "/admin-ui/vendor/mdi/fonts/materialdesignicons-webfont.woff2?v=7.4.47");
        assertThat(font.statusCode()).isEqualTo(200);
        assertThat(font.headers().firstValue("content-type")).hasValue("font/woff2");
        HttpResponse<String> redirect = Http.get(port, "/admin-ui");
        assertThat(redirect.statusCode()).isEqualTo(302);
    }
}
