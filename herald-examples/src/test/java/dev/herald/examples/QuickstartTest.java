package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.examples.interop.ClientProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The README's quickstart is this module's {@code Quickstart} class, and it really runs. */
class QuickstartTest {

    private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+)");

    @Test
    void readmeQuickstartIsTheCompiledClassAndAtMostFifteenLines() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("## Quickstart"));
        String block = readme.substring(start + 8, readme.indexOf("```", start + 8));
        String source = Files.readString(Path.of("src/main/java/dev/herald/examples/Quickstart.java"));
        String body = source.substring(source.indexOf("import "));
        assertThat(block).isEqualTo(body);
        assertThat(block.lines().count()).isLessThanOrEqualTo(15);
    }

    @Test
    void quickstartServesTheTutorialsTwoResponsesFiveSecondsApart() throws Exception {
        // A child JVM on port 0: the quickstart's main() is all it runs, and it logs the bound port.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process app = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Quickstart.class.getName(), "0").redirectErrorStream(true).start();
        try {
            int port = boundPort(app);
            try (ClientProcess client = ClientProcess.node("v4", "http://127.0.0.1:" + port + "/testnamespace", Map.of())) {
                client.await("connect", Duration.ofSeconds(10));
                client.emit("request_for_response", Map.of("param", "value"));
                long first = receive(client, "start to process...");
                long second = receive(client, "processed");
                assertThat(second - first).isBetween(4_500L, 7_000L);
            }
        } finally {
            app.destroyForcibly();
        }
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
