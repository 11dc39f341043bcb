package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.socketio.DisconnectReason;
import dev.herald.spring.app.ChatApp;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Herald inside Boot's graceful shutdown ({@code server.shutdown=graceful}, Boot's default) on
 * Tomcat: the application is started and closed by each test itself.
 * {@link JettyGracefulShutdownTest} runs the same checks on Jetty.
 */
class GracefulShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The container Boot should pick from this test run's class path (the pom's surefire runs). */
    Class<? extends WebServer> expectedWebServer() {
        return TomcatWebServer.class;
    }

    private ConfigurableApplicationContext start(String phaseTimeout) {
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(ChatApp.class, SlowHandler.class)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        "server.shutdown=graceful",
                        "spring.lifecycle.timeout-per-shutdown-phase=" + phaseTimeout)
                .run();
        try {
            assertThat(((WebServerApplicationContext) ctx).getWebServer()).isInstanceOf(expectedWebServer());
            return ctx;
        } catch (AssertionError e) {
            ctx.close();
            throw e;
        }
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return ctx.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @Test
    void runningHandlersFinishWithinThePhaseTimeoutAndClientsAreTold() throws Exception {
        ConfigurableApplicationContext ctx = start("3s");
        SlowHandler handler = ctx.getBean(SlowHandler.class);
        // Polling on purpose: a parked GET would hold the web server's own graceful shutdown until
        // its timeout if Herald did not stop first.
        try (SocketIoTestClient a =
                        SocketIoTestClient.builder(port(ctx)).namespace("/slow").connect();
                SocketIoTestClient b = SocketIoTestClient.builder(port(ctx))
                        .namespace("/slow")
                        .transport("websocket")
                        .connect()) {
            a.emit("short", 300);
            b.emit("stuck");
            assertThat(handler.started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .isTrue();

            long t0 = System.nanoTime();
            ctx.close();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(handler.shortOneFinished).isTrue();
            // The grace is the phase timeout less a second; then the stuck handler is interrupted.
            assertThat(handler.stuckOneInterrupted).isTrue();
            assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofMillis(4500));
            assertThat(handler.disconnects)
                    .containsExactly(DisconnectReason.SERVER_SHUTTING_DOWN, DisconnectReason.SERVER_SHUTTING_DOWN);
            // As the reference's io.close(): the connection closes, so clients reconnect elsewhere.
            assertThat(a.awaitDisconnect(WAIT)).isEqualTo("transport close");
            assertThat(b.awaitDisconnect(WAIT)).isEqualTo("transport close");
        } finally {
            ctx.close();
        }
    }

    @Test
    void stoppedHeraldRefusesNewConnectionsWhileTheWebServerStillAnswers() throws Exception {
        ConfigurableApplicationContext ctx = start("2s");
        try {
            int port = port(ctx);
            SocketIoTestClient.builder(port).namespace("/chat").connect().close();

            ctx.getBean(HeraldLifecycle.class).stop();

            assertThatThrownBy(() -> SocketIoTestClient.builder(port)
                            .namespace("/chat")
                            .timeout(Duration.ofSeconds(2))
                            .connect())
                    .hasMessageContaining("handshake failed: HTTP 403");
            assertThat(Http.get(port, "/hello").statusCode()).isEqualTo(200);
        } finally {
            ctx.close();
        }
    }
}
