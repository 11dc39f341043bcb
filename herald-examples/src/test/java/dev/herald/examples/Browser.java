package dev.herald.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one page scenario of {@code src/test/node/browser.js} in headless Debian Chromium and returns
 * what the pages saw. Screenshots go to {@code target/screenshots/}.
 */
final class Browser {

    static final Path NODE_DIR = Path.of("src/test/node");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run printed: the result line and everything else (console, page errors, screenshots). */
    record Run(JsonNode result, List<JsonNode> lines) {

        /** Uncaught script errors in the pages. */
        List<String> pageErrors() {
            return lines.stream()
                    .filter(l -> l.path("type").asText().equals("pageerror"))
                    .map(l -> l.path("text").asText())
                    .toList();
        }

        /** The screenshot files written. */
        List<Path> screenshots() {
            return lines.stream()
                    .filter(l -> l.path("type").asText().equals("screenshot"))
                    .map(l -> Path.of(l.path("file").asText()))
                    .toList();
        }
    }

    private Browser() {}

    /** Runs {@code scenario} against the server at {@code baseUrl}; fails with everything printed if it fails. */
    static Run run(String scenario, String baseUrl, Map<String, ?> options) throws IOException, InterruptedException {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException(
                    "run 'npm ci --ignore-scripts' in " + NODE_DIR.toAbsolutePath() + " (./herald test does)");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: apt-get install chromium (./herald test does)");
        }
        ObjectNode config = JSON.valueToTree(options);
        config.put("scenario", scenario).put("url", baseUrl).put("screenshots", SCREENSHOTS.toString());
        Path stderr = Files.createTempFile("browser-", ".err");
        Process process = new ProcessBuilder("node", "browser.js", config.toString())
                .directory(NODE_DIR.toFile())
                .redirectError(stderr.toFile())
                .start();
        List<JsonNode> lines = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                raw.add(line);
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    // Not ours (a library's stray print); kept in raw for the failure message.
                }
            }
        }
        boolean exited = process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String err = Files.readString(stderr);
        Files.deleteIfExists(stderr);
        JsonNode result = lines.stream()
                .filter(l -> l.path("type").asText().equals("result"))
                .findFirst()
                .orElse(null);
        if (!exited || process.exitValue() != 0 || result == null) {
            throw new AssertionError(
                    "browser scenario " + scenario + " failed (exit " + (exited ? process.exitValue() : "none")
                            + ")\nstdout:\n" + String.join("\n", raw) + "\nstderr:\n" + err);
        }
        return new Run(result, List.copyOf(lines));
    }
}
