package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.examples.interop.ClientProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TutorialDemoTest {

    private DemoApp app;

    @BeforeAll
    void start() {
        app = TestDemo.start(Map.of()); // the tutorial's real 5 s of work
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Nested
    class InTheBrowser {

        @Test
        void pageWithTheFourXClientShowsStartToProcessFiveSecondsBeforeProcessed() throws Exception {
            assertStartShowsBeforeTheWorkEnds("tutorial/");
        }

        /** EIO3: the 1.3.6 browser client polls for binary payloads, then upgrades to WebSocket. */
        @Test
        void pageWithTheOneThreeSixClientShowsStartToProcessFiveSecondsBeforeProcessed() throws Exception {
            assertStartShowsBeforeTheWorkEnds("tutorial-1x/");
        }

        private void assertStartShowsBeforeTheWorkEnds(String page) throws Exception {
            Browser.Run run = Browser.run("tutorial", TestDemo.url(app), Map.of("path", page));
            JsonNode r = run.result();
            JsonNode items = r.path("items");

            assertThat(items).hasSize(2);
            assertThat(items.get(0).path("text").asText()).isEqualTo("start to process...");
            assertThat(items.get(1).path("text").asText()).isEqualTo("processed");
            long first = items.get(0).path("at").asLong() - r.path("clickedAt").asLong();
            long gap =
                    items.get(1).path("at").asLong() - items.get(0).path("at").asLong();
            System.out.printf(
                    "%s (%s): 'start to process...' after %d ms, 'processed' %d ms later%n",
                    page, r.path("transport").asText(), first, gap);
            assertThat(first).as("ms until 'start to process...'").isLessThan(1500);
            assertThat(gap).as("ms between the two messages").isBetween(4500L, 8000L);
            assertThat(run.pageErrors()).isEmpty();
        }
    }

    /** Every client generation of the compatibility table, over each transport, with short work. */
    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"v4, polling", "v4, websocket", "v2, polling", "v2, websocket", "v1, polling", "v1, websocket"})
    void nodeClientsOfEveryVersionGetStartThenProcessedAfterTheWork(String version, String transport) throws Exception {
        try (DemoApp quick = TestDemo.start(Map.of("tutorial-work-ms", "400"));
                ClientProcess client = ClientProcess.node(
                        version,
                        TestDemo.url(quick) + "testnamespace",
                        Map.of("events", List.of("response"), "options", Map.of("transports", List.of(transport))))) {
            assertThat(client.await("connect", Duration.ofSeconds(10))
                            .path("transport")
                            .asText())
                    .isEqualTo(transport);
            long asked = System.nanoTime();
            client.emit("request_for_response", Map.of("param", "value"));

            JsonNode first = client.awaitEvent("response", Duration.ofSeconds(5))
                    .path("args")
                    .get(0);
            long firstAt = System.nanoTime();
            JsonNode second = client.awaitEvent("response", Duration.ofSeconds(5))
                    .path("args")
                    .get(0);
            long secondAt = System.nanoTime();

            assertThat(first.path("msg").asText()).isEqualTo("start to process...");
            assertThat(second.path("msg").asText()).isEqualTo("processed");
            assertThat(Duration.ofNanos(secondAt - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(Duration.ofNanos(secondAt - firstAt))
                    .as("the first came before the work ended")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void otherSocketsAreServedWhileOneRequestWorks() throws Exception {
        String url = TestDemo.url(app) + "testnamespace";
        try (ClientProcess busy = ClientProcess.node("v4", url, Map.of());
                ClientProcess other = ClientProcess.node("v4", url, Map.of())) {
            busy.await("connect", Duration.ofSeconds(10));
            other.await("connect", Duration.ofSeconds(10));
            busy.emit("request_for_response", Map.of("param", "value"));
            assertThat(busy.awaitEvent("response", Duration.ofSeconds(2))
                            .path("args")
                            .get(0)
                            .path("msg")
                            .asText())
                    .isEqualTo("start to process...");
            long asked = System.nanoTime();
            other.emit("request_for_response", Map.of("param", "value"));
            JsonNode reply = other.awaitEvent("response", Duration.ofSeconds(2));
            assertThat(reply.path("args").get(0).path("msg").asText()).isEqualTo("start to process...");
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
            assertThat(reply.path("args").get(0).path("code").asText()).isEqualTo("200");
        }
    }
}
