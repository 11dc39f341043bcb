package dev.herald.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServletRequestsTest {

    @Test
    void theQueryIsDecodedKeepingTheFirstValueOfEachName() {
        assertThat(ServletRequests.query("EIO=4&transport=polling&t=a%20b&t=second&sid=x%2By"))
                .containsExactly(
                        Map.entry("EIO", "4"),
                        Map.entry("transport", "polling"),
                        Map.entry("t", "a b"),
                        Map.entry("sid", "x+y"));
    }

    @Test
    void aNameWithoutValueIsEmptyAndAMalformedEscapeIsLeftOut() {
        assertThat(ServletRequests.query("b64&EIO=%zz&&transport=websocket"))
                .containsEntry("b64", "")
                .containsEntry("transport", "websocket")
                .doesNotContainKey("EIO");
        assertThat(ServletRequests.query(null)).isEmpty();
        assertThat(ServletRequests.query("")).isEmpty();
    }
}
