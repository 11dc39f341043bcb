package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineTest {
    @Test
    void writesOneFlatObjectThatFlatJsonReadsBack() {
        JsonLine line = new JsonLine()
                .put("scenario", "echo")
                .put("clients", 100)
                .put("acks_per_s", 12345.678, 1)
                .put("saturated", false)
                .put("first_error", "java.io.IOException: \"reset\"\n\tat x");

        String text = line.toString();
        Map<String, Object> back = FlatJson.parse(text);

        assertThat(text).doesNotContain("\n").startsWith("{\"scenario\":\"echo\"");
        assertThat(back)
                .containsEntry("scenario", "echo")
                .containsEntry("clients", 100.0)
                .containsEntry("acks_per_s", 12345.7)
                .containsEntry("saturated", false)
                .containsEntry("first_error", "java.io.IOException: \"reset\"\n\tat x");
    }

    @Test
    void aNumberThatIsNotFiniteIsWrittenAsNull() {
        assertThat(new JsonLine().put("rate", Double.NaN, 1).toString()).isEqualTo("{\"rate\":null}");
    }
}
