package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.examples.interop.ClientProcess;
import dev.herald.redis.RedisServer;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two demo nodes on one real Redis, each with the Admin UI: a dashboard on one node sees and acts
 * on the sockets of both, as Node's {@code instrument()} does through the adapter.
 */
@Timeout(60)
class AdminUiClusterTest {

    private static final Duration T = Duration.ofSeconds(10);

    private final RedisServer redis = RedisServer.launch();
    private final List<DemoApp> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(DemoApp::close);
        redis.close();
    }

    @Test
    void aDashboardOnOneNodeSeesAndReachesTheSocketsOfTheOther() throws Exception {
        for (int i = 0; i < 2; i++) {
            nodes.add(DemoApp.start(new ServerConfig(
                    "127.0.0.1", 0, false, Optional.of(redis.uri()), Map.of("admin-password", "s3cret"))));
        }
        await().atMost(T)
                .until(() -> nodes.stream()
                        .allMatch(n -> n.io().of("/admin").adapter().serverCount() == 2));
        try (SocketIoTestClient far = SocketIoTestClient.builder(nodes.get(1).port())
                .namespace("/testnamespace")
                .connect()) {
            Map<String, Object> options = ClientProcess.options("websocket", false);
            options.put("auth", Map.of("username", "admin", "password", "s3cret"));
            try (ClientProcess admin =
                    ClientProcess.node("v4", TestDemo.url(nodes.get(0)) + "admin", Map.of("options", options))) {
                JsonNode all = admin.awaitEvent("all_sockets", T).path("args").path(0);
                assertThat(StreamSupport.stream(all.spliterator(), false)
                                .map(s -> s.path("id").asText()))
                        .contains(far.sid());

                admin.send(
                        Map.of("cmd", "emit", "event", "join", "args", Arrays.asList("/testnamespace", "vip", null)));
                JsonNode joined = admin.awaitEvent("room_joined", T).path("args");
                assertThat(joined.path(1).asText()).isEqualTo("vip");
                assertThat(joined.path(2).asText()).isEqualTo(far.sid());

                admin.send(Map.of(
                        "cmd",
                        "emit",
                        "event",
                        "emit",
                        "args",
                        Arrays.asList("/testnamespace", "vip", "notice", "across nodes")));
                assertThat(far.nextEvent("notice", T).arg(0).asText()).isEqualTo("across nodes");
            }
        }
    }
}
