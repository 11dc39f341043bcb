package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.examples.interop.ClientProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The README's quickstart is this module's {@code Quickstart} class, and it really runs: in a child
 * JVM, as {@code java Quickstart} would, serving its own page at {@code /}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class QuickstartTest {

    private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+)");

    private Process app;
    private String url;

    @BeforeAll
    void start() throws Exception {
        // Port 0: the quickstart's main() is all the child runs, and it logs the bound port.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Quickstart.class.getName(), "0")
                .redirectErrorStream(true)
                .start();
        url = "http://127.0.0.1:" + boundPort(app) + "/";
    }

    @AfterAll
    void stop() {
        app.destroyForcibly();
    }

    @Test
    void readmeQuickstartIsTheCompiledClassAndAtMostTwentyLines() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("## Quickstart"));
        String block = readme.substring(start + 8, readme.indexOf("```", start + 8));
        String source = Files.readString(Path.of("src/main/java/dev/herald/examples/Quickstart.java"));
        String body = source.substring(source.indexOf("import "));
        assertThat(block).isEqualTo(body);
        assertThat(block.lines().count()).isLessThanOrEqualTo(20);
    }

    @Test
    void quickstartServesTheTutorialsTwoResponsesFiveSecondsApart() throws Exception {
        try (ClientProcess client = ClientProcess.node("v4", url + "testnamespace", Map.of())) {
            client.await("connect", Duration.ofSeconds(10));
            client.emit("request_for_response", Map.of("param", "value"));
            long first = receive(client, "start to process...");
            long second = receive(client, "processed");
            assertThat(second - first).isBetween(4_500L, 7_000L);
        }
    }

    @Test
    void theRootIsThePageWithItsButton() throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("text/html; charset=UTF-8");
        assertThat(res.body()).isEqualTo(Quickstart.PAGE).contains("<button");
    }

    @Test
    void clickingTheButtonShowsStartToProcessAtOnceAndProcessedFiveSecondsLater() throws Exception {
        Browser.Run run = Browser.run("quickstart", url, Map.of());
        JsonNode r = run.result();
        JsonNode items = r.path("items");

        assertThat(r.path("button").asText()).isEqualTo("Send");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("tag").asText()).isEqualTo("LI");
        assertThat(items.get(0).path("text").asText()).isEqualTo("start to process...");
        assertThat(items.get(1).path("text").asText()).isEqualTo("processed");
        long first = items.get(0).path("at").asLong() - r.path("clickedAt").asLong();
        long gap = items.get(1).path("at").asLong() - items.get(0).path("at").asLong();
        assertThat(first).as("ms until 'start to process...'").isLessThan(1500);
        assertThat(gap).as("ms between the two messages").isBetween(4500L, 8000L);
        assertThat(run.pageErrors()).isEmpty();
        assertThat(run.screenshots()).hasSize(1);
    }

    /** The port the child logs; fails instead of hanging when it never says so. */
    private static int boundPort(Process app) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                var lines = app.inputReader();
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new AssertionError("the quickstart exited without listening"));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        try {
            return port.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the quickstart did not log its port within 30 s");
        }
    }

    private static long receive(ClientProcess client, String msg) throws InterruptedException {
        var event = client.awaitEvent("response", Duration.ofSeconds(10));
        assertThat(event.path("args").get(0).path("msg").asText()).isEqualTo(msg);
        return System.currentTimeMillis();
    }
}
