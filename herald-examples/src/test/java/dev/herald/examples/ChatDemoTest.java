package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.examples.interop.ClientProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ChatDemoTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private DemoApp app;

    @BeforeAll
    void start() {
        app = TestDemo.start(Map.of());
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void pagesInOneRoomSeeEachOtherAndNotAnotherRoomAndTheListFollowsALeave() throws Exception {
        Browser.Run run = Browser.run("chat", TestDemo.url(app), Map.of());
        JsonNode before = run.result().path("before");
        JsonNode after = run.result().path("after");

        assertThat(strings(before.path("alice").path("messages")))
                .contains("bob joined", "alice: hello from alice", "bob: hi alice")
                .doesNotContain("carol: anyone in the kitchen?");
        assertThat(strings(before.path("bob").path("messages")))
                .contains("alice: hello from alice", "bob: hi alice")
                .doesNotContain("carol: anyone in the kitchen?");
        assertThat(strings(before.path("carol").path("messages")))
                .containsExactly("you joined kitchen", "carol: anyone in the kitchen?");
        assertThat(strings(before.path("alice").path("members"))).containsExactly("alice", "bob");
        assertThat(strings(before.path("bob").path("members"))).containsExactly("alice", "bob");
        assertThat(strings(before.path("carol").path("members"))).containsExactly("carol");

        assertThat(strings(after.path("alice").path("members"))).containsExactly("alice");
        assertThat(after.path("alice").path("who").asText()).isEqualTo("alice");
        assertThat(strings(after.path("alice").path("messages"))).endsWith("bob left");
        assertThat(strings(after.path("carol").path("messages"))).doesNotContain("bob left");
        assertThat(run.pageErrors()).isEmpty();
        assertThat(run.screenshots()).contains(Browser.SCREENSHOTS.resolve("chat.png"));
    }

    @Test
    void joinWithABlankNameOrRoomIsRefusedInTheAck() throws Exception {
        try (ClientProcess client = chatClient()) {
            JsonNode noName = client.emitWithAck(WAIT, "join", Map.of("name", "  ", "room", "lobby"))
                    .get(0);
            JsonNode noRoom = client.emitWithAck(WAIT, "join", Map.of("name", "dora", "room", ""))
                    .get(0);
            JsonNode nothing = client.emitWithAck(WAIT, "join").get(0);

            for (JsonNode reply : List.of(noName, noRoom, nothing)) {
                assertThat(reply.path("ok").asBoolean(true)).isFalse();
                assertThat(reply.path("error").asText()).isNotBlank();
            }
        }
    }

    @Test
    void joiningAnotherRoomLeavesTheFirstAndTellsItsMembers() throws Exception {
        try (ClientProcess stays = chatClient();
                ClientProcess moves = chatClient()) {
            assertThat(stays.emitWithAck(WAIT, "join", Map.of("name", "erin", "room", "r1"))
                            .get(0)
                            .path("ok")
                            .asBoolean())
                    .isTrue();
            JsonNode ack = moves.emitWithAck(WAIT, "join", Map.of("name", "finn", "room", "r1"))
                    .get(0);
            assertThat(ack.path("ok").asBoolean()).isTrue();
            assertThat(ack.path("room").asText()).isEqualTo("r1");
            awaitPresence(stays, "r1", List.of("erin", "finn"));

            // Without an ack here: awaiting the ack would skip the presence sent before it.
            moves.emit("join", Map.of("name", "finn", "room", "r2"));

            assertThat(stays.await(WAIT, e -> isEvent(e, "notice"))
                            .path("args")
                            .get(0)
                            .path("text")
                            .asText())
                    .isEqualTo("finn left");
            awaitPresence(stays, "r1", List.of("erin"));
            awaitPresence(moves, "r2", List.of("finn"));
            moves.emit("chat", Map.of("text", "only r2 hears this"));
            JsonNode heard = moves.awaitEvent("chat", WAIT).path("args").get(0);
            assertThat(heard.path("name").asText()).isEqualTo("finn");
            assertThat(heard.path("text").asText()).isEqualTo("only r2 hears this");
            assertThat(Clients.eventsWithin(stays, Duration.ofMillis(300))).noneMatch(e -> isEvent(e, "chat"));
        }
    }

    @Test
    void aDisconnectUpdatesTheRoom() throws Exception {
        try (ClientProcess stays = chatClient()) {
            stays.emitWithAck(WAIT, "join", Map.of("name", "gus", "room", "r3"));
            try (ClientProcess goes = chatClient()) {
                goes.emitWithAck(WAIT, "join", Map.of("name", "hana", "room", "r3"));
                awaitPresence(stays, "r3", List.of("gus", "hana"));
            }
            awaitPresence(stays, "r3", List.of("gus"));
        }
    }

    private ClientProcess chatClient() throws Exception {
        ClientProcess client = ClientProcess.node("v4", TestDemo.url(app) + "chat", Map.of());
        client.await("connect", WAIT);
        return client;
    }

    private static void awaitPresence(ClientProcess client, String room, List<String> members)
            throws InterruptedException {
        client.await(
                WAIT,
                e -> isEvent(e, "presence")
                        && e.path("args").get(0).path("room").asText().equals(room)
                        && strings(e.path("args").get(0).path("members")).equals(members));
    }

    private static boolean isEvent(JsonNode line, String event) {
        return line.path("type").asText().equals("event")
                && line.path("event").asText().equals(event);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
