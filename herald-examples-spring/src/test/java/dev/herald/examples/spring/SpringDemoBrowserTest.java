package dev.herald.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.examples.Browser;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * herald-examples' page scenarios in headless Chromium against {@code ./herald demo --spring}'s
 * application: the demos' pages, served by Spring MVC, and socket.io's browser clients talking to
 * herald-servlet in embedded Tomcat, on one free port.
 */
@Timeout(120)
class SpringDemoBrowserTest {

    // Half the real 5 s: still 100 ms between the page's 25 steps, so bunched arrivals would show.
    private static final Duration PROGRESS_JOB = Duration.ofMillis(2500);
    private static final Duration TUTORIAL_WORK = Duration.ofMillis(1500);

    private static ConfigurableApplicationContext app;
    private static String url;

    @BeforeAll
    static void start() {
        app = TestApp.start(TUTORIAL_WORK, PROGRESS_JOB);
        url = "http://127.0.0.1:" + TestApp.port(app) + "/";
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theProgressPageShowsEveryStepWhileTheJobRunsNotAllAtItsEnd() throws Exception {
        Browser.Run run = Browser.run("progress", url, Map.of());
        JsonNode r = run.result();
        List<Integer> values = new ArrayList<>();
        r.path("seen").forEach(s -> values.add(s.path("value").asInt()));
        long clickedAt = r.path("clickedAt").asLong();
        List<JsonNode> steps = new ArrayList<>();
        r.path("log").forEach(l -> {
            if (l.path("text").asText().contains("step ")) {
                steps.add(l);
            }
        });

        assertThat(steps)
                .extracting(l -> l.path("text").asText())
                .as("the page's log, one line per progress event")
                .zipSatisfy(
                        IntStream.rangeClosed(1, 25).boxed().toList(),
                        (text, step) -> assertThat(text).contains("step " + step + " of 25:"));
        // The bar's value is read once per DOM task: events delivered together would show as one value.
        assertThat(values).isSorted().doesNotHaveDuplicates().endsWith(100);
        assertThat(values.stream().filter(v -> v > 0 && v < 100).count())
                .as("bar values between 0 and 100 %")
                .isGreaterThanOrEqualTo(10);
        long first = steps.getFirst().path("at").asLong() - clickedAt;
        long halfway = steps.get(12).path("at").asLong() - clickedAt;
        long last = steps.getLast().path("at").asLong() - clickedAt;
        System.out.printf(
                "spring progress: %d bar values, step 1 after %d ms, step 13 after %d ms, step 25 after %d ms%n",
                values.size(), first, halfway, last);
        assertThat(first).as("ms until step 1").isLessThan(1500);
        assertThat(last - halfway)
                .as("ms from step 13 to step 25, 1200 on the server")
                .isGreaterThan(800);
        assertThat(last).as("ms until step 25").isBetween(2000L, 7000L);
        assertThat(r.path("width").asText()).isEqualTo("100%");
        assertThat(run.pageErrors()).isEmpty();
        // The scenario would pass without the style sheet, which Spring MVC, not Herald, serves.
        assertThat(run.httpErrors()).isEmpty();
        assertThat(run.screenshots()).contains(Browser.SCREENSHOTS.resolve("progress.png"));
        assertThat(Files.size(Browser.SCREENSHOTS.resolve("progress.png"))).isPositive();
    }

    @Test
    void chatPagesHearTheirOwnRoomOnlyAndSeeALeave() throws Exception {
        Browser.Run run = Browser.run("chat", url, Map.of());
        JsonNode before = run.result().path("before");
        JsonNode after = run.result().path("after");

        for (String lobby : List.of("alice", "bob")) {
            assertThat(strings(before.path(lobby).path("messages")))
                    .as(lobby + "'s messages")
                    .contains("alice: hello from alice", "bob: hi alice")
                    .doesNotContain("carol: anyone in the kitchen?");
            assertThat(strings(before.path(lobby).path("members"))).containsExactly("alice", "bob");
        }
        assertThat(strings(before.path("carol").path("messages")))
                .containsExactly("you joined kitchen", "carol: anyone in the kitchen?");
        assertThat(strings(before.path("carol").path("members"))).containsExactly("carol");
        assertThat(strings(after.path("alice").path("messages"))).endsWith("bob left");
        assertThat(strings(after.path("alice").path("members"))).containsExactly("alice");
        assertThat(strings(after.path("carol").path("messages"))).doesNotContain("bob left");
        assertThat(run.pageErrors()).isEmpty();
        assertThat(run.httpErrors()).isEmpty();
        assertThat(run.screenshots()).contains(Browser.SCREENSHOTS.resolve("chat.png"));
    }

    /** tutorial-1x's socket.io 1.3.6 is an Engine.IO v3 client: polling, then the upgrade, on Tomcat. */
    @ParameterizedTest
    @ValueSource(strings = {"tutorial/", "tutorial-1x/"})
    void theTutorialPageShowsStartToProcessBeforeTheWorkEnds(String page) throws Exception {
        Browser.Run run = Browser.run("tutorial", url, Map.of("path", page));
        JsonNode r = run.result();
        JsonNode items = r.path("items");

        assertThat(items).extracting(i -> i.path("text").asText()).containsExactly("start to process...", "processed");
        long first = items.get(0).path("at").asLong() - r.path("clickedAt").asLong();
        long gap = items.get(1).path("at").asLong() - items.get(0).path("at").asLong();
        assertThat(first).as("ms until 'start to process...'").isLessThan(1500);
        assertThat(gap)
                .as("ms between the two messages")
                .isBetween(TUTORIAL_WORK.toMillis() - 300, TUTORIAL_WORK.toMillis() + 3000);
        assertThat(run.pageErrors()).isEmpty();
        assertThat(run.httpErrors()).isEmpty();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
