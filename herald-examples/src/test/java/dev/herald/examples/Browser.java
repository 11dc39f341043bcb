package dev.herald.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one page scenario of herald-examples' {@code src/test/node/browser.js} in headless Debian
 * Chromium and returns what the pages saw. Screenshots go to the running module's
 * {@code target/screenshots/}.
 *
 * <p>Public and in herald-examples' test-jar so that herald-examples-spring's page tests drive the
 * same scenarios against the servlet transport.
 */
public final class Browser {

    static final Path NODE_DIR = nodeDir();
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run printed: the result line and everything else (console, page errors, screenshots). */
    public record Run(JsonNode result, List<JsonNode> lines) {

        /** Uncaught script errors in the pages. */
        public List<String> pageErrors() {
            return lines.stream()
                    .filter(l -> l.path("type").asText().equals("pageerror"))
                    .map(l -> l.path("text").asText())
                    .toList();
        }

        /** Page requests answered with a status of 400 or more, as "status url". */
        public List<String> httpErrors() {
            return lines.stream()
                    .filter(l -> l.path("type").asText().equals("http-error"))
                    .map(l -> l.path("status").asInt() + " " + l.path("url").asText())
                    .toList();
        }

        /** The screenshot files written. */
        public List<Path> screenshots() {
            return lines.stream()
                    .filter(l -> l.path("type").asText().equals("screenshot"))
                    .map(l -> Path.of(l.path("file").asText()))
                    .toList();
        }
    }

    private Browser() {}

    /**
     * herald-examples' {@code src/test/node}, found from where this class was loaded rather than from
     * the working directory, which is another module's when herald-examples-spring runs it. Both
     * {@code target/test-classes} and the test-jar sit in herald-examples' {@code target/}.
     */
    private static Path nodeDir() {
        try {
            Path loadedFrom = Path.of(Browser.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return loadedFrom.getParent().getParent().resolve("src/test/node");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code scenario} against the server at {@code baseUrl}; fails with everything printed if it fails. */
    public static Run run(String scenario, String baseUrl, Map<String, ?> options)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(NODE_DIR.resolve("browser.js"))) {
            // A test-jar from a local repository instead of the reactor's herald-examples/target/.
            throw new IllegalStateException(
                    "no browser.js in " + NODE_DIR + ": build herald-examples in the same reactor");
        }
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
