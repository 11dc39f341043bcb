package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.redis.RedisAdapter;
import dev.herald.redis.RedisServer;
import dev.herald.socketio.adapter.AdapterFactory;
import dev.herald.spring.app.ChatApp;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code herald.redis.enabled}: two instances of the README's application, configured only with
 * Boot's {@code spring.data.redis.*} settings of one real, password-protected redis-server, form a
 * cluster.
 */
class RedisReuseTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.launch("s3cret:/@pass");
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static ConfigurableApplicationContext node() {
        return node(redis);
    }

    private static ConfigurableApplicationContext node(RedisServer redis) {
        return new SpringApplicationBuilder(ChatApp.class)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port(),
                        "spring.data.redis.password=s3cret:/@pass",
                        "herald.redis.enabled=true")
                .run();
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return ctx.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @Test
    void twoApplicationsOnBootsRedisSettingsShareTheirRooms() {
        try (ConfigurableApplicationContext a = node();
                ConfigurableApplicationContext b = node()) {
            assertThat(a.getBean(AdapterFactory.class))
                    .isInstanceOfSatisfying(
                            RedisAdapter.Factory.class,
                            f -> assertThat(f.connected()).isTrue());
            try (SocketIoTestClient onA = SocketIoTestClient.builder(port(a))
                            .namespace("/chat")
                            .connect();
                    SocketIoTestClient onB = SocketIoTestClient.builder(port(b))
                            .namespace("/chat")
                            .connect()) {
                onA.emit("message", "across");
                assertThat(onB.nextEvent("message", WAIT).arg(0).asText()).isEqualTo(onA.sid() + ": across");
            }
        }
    }

    @Test
    void theHealthComponentFollowsTheAdaptersRedisConnections() {
        RedisServer own = RedisServer.launch("s3cret:/@pass");
        try (ConfigurableApplicationContext app = node(own)) {
            HeraldHealthIndicator health = app.getBean(HeraldHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("redis", "connected");
            own.close();
            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                Health h = health.health();
                assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                assertThat(h.getDetails()).containsEntry("redis", "disconnected");
                assertThat(h.getDetails()).containsEntry("server", "serving");
            });
        } finally {
            own.close();
        }
    }
}
