package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README.md's "In a Spring Boot app" shows the handler class and the properties that
 * {@link OnePortTest} runs: this keeps the text and the tested files the same.
 */
class ReadmeExampleTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    private static String readme() throws IOException {
        return Files.readString(MODULE.resolveSibling("README.md"));
    }

    @Test
    void theReadmeShowsTheTestedHandlerClass() throws IOException {
        String source = Files.readString(MODULE.resolve("src/test/java/dev/herald/spring/app/ChatHandler.java"));
        String body = source.substring(source.indexOf("@Component")).strip();
        assertThat(readme()).contains(body);
    }

    @Test
    void theReadmeShowsTheTestedProperties() throws IOException {
        String readme = readme();
        for (String line : Files.readAllLines(MODULE.resolve("src/test/resources/application.properties"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertThat(readme).contains(line);
            }
        }
    }
}
