package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.examples.interop.ClientProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ProgressDemoTest {

    private DemoApp app;

    @BeforeAll
    void start() {
        app = TestDemo.start(Map.of()); // the real ~5 s job, as a user sees it
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Nested
    class InTheBrowser {

        @Test
        void barGoesFromZeroToHundredThroughManyValuesInAboutFiveSeconds() throws Exception {
            Browser.Run run = Browser.run("progress", TestDemo.url(app), Map.of());
            JsonNode r = run.result();
            List<Integer> values = values(r.path("seen"));

            assertThat(values)
                    .as("every value the bar showed")
                    .isNotEmpty()
                    .isSorted()
                    .doesNotHaveDuplicates();
            assertThat(values.getFirst()).isLessThanOrEqualTo(10);
            assertThat(values.getLast()).isEqualTo(100);
            assertThat(values.stream().filter(v -> v > 0 && v < 100).count()).isGreaterThanOrEqualTo(10);
            long first = r.path("seen").get(0).path("at").asLong()
                    - r.path("clickedAt").asLong();
            long total = last(r.path("seen")).path("at").asLong()
                    - r.path("clickedAt").asLong();
            System.out.printf(
                    "progress: %d values, first after %d ms, 100 %% after %d ms%n", values.size(), first, total);
            assertThat(first).as("ms until the first update").isLessThan(1500);
            assertThat(total).as("ms until 100 %").isBetween(4000L, 9000L);
            assertThat(texts(r.path("log"))).anyMatch(t -> t.contains("done in"));
            assertThat(r.path("width").asText()).isEqualTo("100%");
            assertThat(run.pageErrors()).isEmpty();

            assertThat(run.screenshots()).contains(Browser.SCREENSHOTS.resolve("progress.png"));
        }

        @Test
        void cancelStopsTheJobAndNoProgressFollows() throws Exception {
            Browser.Run run = Browser.run("progress-cancel", TestDemo.url(app), Map.of());
            JsonNode r = run.result();
            List<Integer> values = values(r.path("seen"));
            List<String> log = texts(r.path("log"));
            long cancelledShownAt = stream(r.path("log"))
                    .filter(l -> l.path("text").asText().contains("cancelled at"))
                    .findFirst()
                    .orElseThrow()
                    .path("at")
                    .asLong();

            assertThat(values).isSorted().doesNotHaveDuplicates();
            assertThat(values.getLast()).isBetween(20, 99);
            assertThat(stream(r.path("seen")).filter(s -> s.path("at").asLong() > cancelledShownAt))
                    .as("progress after job_cancelled")
                    .isEmpty();
            assertThat(log).last().asString().endsWith("cancelled at " + values.getLast() + " %");
            assertThat(log).noneMatch(t -> t.contains("done in"));
            assertThat(r.path("startDisabled").asBoolean()).isFalse();
            assertThat(r.path("cancelDisabled").asBoolean()).isTrue();
            System.out.printf(
                    "progress cancel: stopped at %d %%, job_cancelled shown %d ms after the click%n",
                    values.getLast(), cancelledShownAt - r.path("cancelledAt").asLong());
        }

        @Test
        void twoTabsRunTheirOwnJobsAtOnceAndSeeOnlyTheirOwn() throws Exception {
            Browser.Run run = Browser.run("progress-two", TestDemo.url(app), Map.of());
            JsonNode a = run.result().path("a");
            JsonNode b = run.result().path("b");

            assertThat(steps(a))
                    .as("tab a's steps")
                    .allMatch(t -> t.contains(" of 25:"))
                    .hasSize(25);
            assertThat(steps(b))
                    .as("tab b's steps")
                    .allMatch(t -> t.contains(" of 40:"))
                    .hasSize(40);
            for (JsonNode tab : List.of(a, b)) {
                assertThat(values(tab.path("seen")))
                        .isSorted()
                        .doesNotHaveDuplicates()
                        .endsWith(100);
            }
            // At once, not one after the other: b's job started before a's finished.
            assertThat(b.path("seen").get(0).path("at").asLong())
                    .isLessThan(last(a.path("seen")).path("at").asLong());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void progressArrivesStepByStepWhileTheJobRuns(String transport) throws Exception {
        try (ClientProcess client = ClientProcess.node(
                "v4", TestDemo.url(app), Map.of("options", Map.of("transports", List.of(transport))))) {
            assertThat(client.await("connect", Duration.ofSeconds(10))
                            .path("transport")
                            .asText())
                    .isEqualTo(transport);
            long started = System.nanoTime();
            client.emit("start_job", Map.of("steps", 20));
            List<Long> arrivals = new ArrayList<>();
            for (int step = 1; step <= 20; step++) {
                JsonNode p = client.awaitEvent("progress", Duration.ofSeconds(5))
                        .path("args")
                        .get(0);
                arrivals.add((System.nanoTime() - started) / 1_000_000);
                assertThat(p.path("step").asInt()).isEqualTo(step);
                assertThat(p.path("steps").asInt()).isEqualTo(20);
                assertThat(p.path("percent").asInt()).isEqualTo(step * 5);
            }
            JsonNode done = client.awaitEvent("job_done", Duration.ofSeconds(5))
                    .path("args")
                    .get(0);
            assertThat(done.path("seconds").asDouble()).isBetween(4.0, 9.0);
            // Spread over the job, not bunched at its end: the halfway step came well before the last.
            assertThat(arrivals.getLast() - arrivals.get(9))
                    .as("ms from step 10 to step 20")
                    .isGreaterThan(1500);
        }
    }

    @Test
    void aJobIsCancelledWhenItsSocketDisconnects() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> app.runningWork().running() == 0);
        try (ClientProcess client = ClientProcess.node("v4", TestDemo.url(app), Map.of())) {
            client.await("connect", Duration.ofSeconds(10));
            client.emit("start_job", Map.of("steps", 25));
            client.awaitEvent("progress", Duration.ofSeconds(5));
            assertThat(app.runningWork().running()).isEqualTo(1);
            client.send(Map.of("cmd", "disconnect"));
            // The job has about 4.5 s left; cancelled, it stops within one step.
            await().atMost(Duration.ofSeconds(2)).until(() -> app.runningWork().running() == 0);
        }
    }

    @Test
    void cancelWithoutAJobIsIgnored() throws Exception {
        try (ClientProcess client = ClientProcess.node("v4", TestDemo.url(app), Map.of())) {
            client.await("connect", Duration.ofSeconds(10));
            client.emit("cancel_job");
            assertThat(Clients.eventsWithin(client, Duration.ofMillis(500))).isEmpty();
        }
    }

    private static List<Integer> values(JsonNode seen) {
        List<Integer> out = new ArrayList<>();
        seen.forEach(s -> out.add(s.path("value").asInt()));
        return out;
    }

    private static List<String> texts(JsonNode log) {
        return stream(log).map(l -> l.path("text").asText()).toList();
    }

    private static List<String> steps(JsonNode tab) {
        return texts(tab.path("log")).stream().filter(t -> t.contains("step ")).toList();
    }

    private static JsonNode last(JsonNode array) {
        return array.get(array.size() - 1);
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }
}
