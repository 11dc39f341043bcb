package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.redis.RedisServer;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./herald demo --redis URI} twice: two demo apps on one real Redis are two nodes of one
 * cluster, and chat clients on either node share the rooms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class DemoClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private AutoCloseable redis;
    private final List<DemoApp> nodes = new ArrayList<>();

    /** Starts the Redis the nodes share, and returns the configuration of one node. */
    ServerConfig startRedis() {
        var server = RedisServer.launch();
        redis = server;
        return new ServerConfig("127.0.0.1", 0, false, Optional.of(server.uri()), Map.of("progress-job-ms", "400"));
    }

    void setRedis(AutoCloseable redis) {
        this.redis = redis;
    }

    @BeforeAll
    void startTwoNodes() {
        var config = startRedis();
        for (int i = 0; i < 2; i++) {
            nodes.add(DemoApp.start(config));
        }
        await().atMost(WAIT)
                .until(() -> nodes.stream()
                        .allMatch(n -> n.io().of(ChatDemo.NAMESPACE).adapter().serverCount() == 2));
    }

    @AfterAll
    void stop() throws Exception {
        nodes.forEach(DemoApp::close);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void chatClientsOnTwoNodesInOneRoomSeeEachOthersMessagesAndOnlyThose() {
        try (var alice = chat(0, "websocket");
                var bob = chat(1, "polling");
                var carol = chat(1, "websocket")) {
            assertThat(join(alice, "alice", "lobby").path("ok").asBoolean()).isTrue();
            assertThat(join(bob, "bob", "lobby").path("ok").asBoolean()).isTrue();
            assertThat(join(carol, "carol", "kitchen").path("ok").asBoolean()).isTrue();

            assertThat(awaitEvent(alice, "notice", a -> a.path("text").asText().equals("bob joined")))
                    .isNotNull();
            assertThat(awaitEvent(bob, "presence", a -> a.path("members").size() == 2)
                            .path("members"))
                    .extracting(JsonNode::asText)
                    .containsExactly("alice", "bob");

            alice.emit("chat", Map.of("text", "hello from node 0"));
            bob.emit("chat", Map.of("text", "hi from node 1"));

            for (var reader : List.of(alice, bob)) {
                assertThat(awaitEvents(reader, "chat", 2))
                        .extracting(a ->
                                a.path("name").asText() + ": " + a.path("text").asText())
                        .containsExactlyInAnyOrder("alice: hello from node 0", "bob: hi from node 1");
            }
            carol.emit("chat", Map.of("text", "only the kitchen"));
            assertThat(awaitEvent(carol, "chat", a -> true).path("text").asText())
                    .isEqualTo("only the kitchen");
            assertThat(eventsWithin(alice, Duration.ofMillis(500)))
                    .noneMatch(e -> e.name().equals("chat"));
        }
    }

    @Test
    void theMembersListOfARoomSpansTheNodesAndFollowsALeave() {
        try (var erin = chat(0, "polling");
                var finn = chat(1, "websocket")) {
            join(erin, "erin", "r1");
            join(finn, "finn", "r1");
            assertThat(awaitEvent(erin, "presence", a -> a.path("members").size() == 2)
                            .path("members"))
                    .extracting(JsonNode::asText)
                    .containsExactly("erin", "finn");

            finn.disconnect();

            assertThat(awaitEvent(erin, "notice", a -> a.path("text").asText().equals("finn left")))
                    .isNotNull();
            assertThat(awaitEvent(erin, "presence", a -> a.path("members").size() == 1)
                            .path("members"))
                    .extracting(JsonNode::asText)
                    .containsExactly("erin");
        }
    }

    @Test
    void theProgressPageRunsItsJobOnWhicheverNodeItReached() {
        for (int node = 0; node < 2; node++) {
            try (var page = SocketIoTestClient.builder(nodes.get(node).port())
                    .transport("websocket")
                    .connect()) {
                page.emit("start_job", Map.of("steps", 20));
                assertThat(awaitEvent(page, "job_done", a -> true)).isNotNull();
            }
        }
    }

    private SocketIoTestClient chat(int node, String transport) {
        return SocketIoTestClient.builder(nodes.get(node).port())
                .namespace(ChatDemo.NAMESPACE)
                .transport(transport)
                .connect();
    }

    private static JsonNode join(SocketIoTestClient client, String name, String room) {
        return client.call("join", WAIT, Map.of("name", name, "room", room)).get(0);
    }

    /** The first argument of the next event with this name whose first argument matches; skips others. */
    private static JsonNode awaitEvent(SocketIoTestClient client, String name, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + name + " event that matches within " + WAIT);
            }
            ReceivedEvent e = client.nextEvent(Duration.ofNanos(left));
            if (e.name().equals(name) && matching.test(e.args().path(0))) {
                return e.args().path(0);
            }
        }
    }

    /** The first arguments of the next {@code count} events with this name; skips others. */
    private static List<JsonNode> awaitEvents(SocketIoTestClient client, String name, int count) {
        var out = new ArrayList<JsonNode>();
        while (out.size() < count) {
            out.add(awaitEvent(client, name, a -> true));
        }
        return out;
    }

    private static List<ReceivedEvent> eventsWithin(SocketIoTestClient client, Duration window) {
        var out = new ArrayList<ReceivedEvent>();
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                out.add(client.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
            } catch (AssertionError timeout) {
                break;
            }
        }
        return out;
    }
}
