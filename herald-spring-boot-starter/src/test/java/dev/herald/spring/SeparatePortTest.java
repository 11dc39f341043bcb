package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.EngineIoOptions;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.spring.app.ChatApp;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@code herald.server.port} moves Socket.IO to a Netty port of its own, and an application's own
 * {@link SocketIoServer} bean replaces Herald's: the handler beans, the transport and the
 * lifecycle all use it.
 */
@SpringBootTest(
        classes = ChatApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "herald.server.port=0", "herald.server.host=127.0.0.1"})
@Import(SeparatePortTest.OwnServer.class)
class SeparatePortTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TestConfiguration(proxyBeanMethods = false)
    static class OwnServer {
        @Bean
        SocketIoServer ownSocketIoServer() {
            return SocketIoServer.create(SocketIoOptions.builder()
                    .engine(EngineIoOptions.builder()
                            .pingInterval(Duration.ofSeconds(4))
                            .build())
                    .build());
        }
    }

    @LocalServerPort
    int appPort;

    @Autowired
    HeraldLifecycle lifecycle;

    @Test
    void theApplicationsOwnServerBeanAnswersOnTheSeparatePort() {
        int port = lifecycle.separatePort().orElseThrow();
        assertThat(port).isNotEqualTo(appPort);
        try (SocketIoTestClient c =
                SocketIoTestClient.builder(port).namespace("/chat").connect()) {
            assertThat(c.engine().handshake().get("pingInterval").asInt()).isEqualTo(4000);
            c.emit("message", "over netty");
            assertThat(c.nextEvent("message", WAIT).arg(0).asText()).isEqualTo(c.sid() + ": over netty");
        }
    }

    @Test
    void theApplicationsPortHasNoEngineIoPath() throws Exception {
        assertThat(Http.get(appPort, "/socket.io/?EIO=4&transport=polling").statusCode())
                .isEqualTo(404);
    }
}
