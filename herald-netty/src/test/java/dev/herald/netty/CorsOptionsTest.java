package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engineio.CorsOptions;
import dev.herald.testing.RawWebSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * CORS written as Node users write it: any origin, lists, patterns and a predicate, the preflight
 * headers, and the same verdict on the WebSocket upgrade.
 */
class CorsOptionsTest {

    static final String POLL = "/socket.io/?EIO=4&transport=polling";
    static final String WS = "/socket.io/?EIO=4&transport=websocket";

    static int upgradeStatus(TestServer s, String origin) throws Exception {
        try (RawWebSocket ws = new RawWebSocket(s.server.port(), WS, "Origin", origin)) {
            return ws.status;
        }
    }

    @Test
    void aWildcardAllowsEveryOriginWithAStarOnPollingAndWebSocket() throws Exception {
        try (TestServer s = TestServer.start(
                o -> o, b -> b.cors(CorsOptions.builder().origins("*").build()))) {
            HttpResponse<String> res = s.get(POLL, "Origin", "https://anywhere.test");
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(res.headers().firstValue("vary")).isEmpty();
            assertThat(upgradeStatus(s, "https://anywhere.test")).isEqualTo(101);
        }
    }

    @Test
    void aWildcardWithCredentialsIsRefusedAtBuildNamingBothOptions() {
        assertThatThrownBy(() ->
                        CorsOptions.builder().origins("*").credentials(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cors.origins \"*\"")
                .hasMessageContaining("cors.credentials");
        try (TestServer s = TestServer.start()) {
            assertThatThrownBy(() -> NettyServer.builder()
                            .engine(s.engine)
                            .corsAllowedOrigins("*")
                            .corsAllowCredentials(true)
                            .build())
                    .hasMessageContaining("cors.credentials");
        }
    }

    @Test
    void settingBothFormsIsRefused() {
        try (TestServer s = TestServer.start()) {
            assertThatThrownBy(() -> NettyServer.builder()
                            .engine(s.engine)
                            .cors(CorsOptions.sameOriginOnly())
                            .corsAllowedOrigins("https://a.test")
                            .build())
                    .hasMessageContaining("not both");
        }
    }

    @Test
    void aRegexAndAPredicateAllowTheirOriginsAndNothingElse() throws Exception {
        CorsOptions cors = CorsOptions.builder()
                .originPattern(Pattern.compile("https://review-\\d+\\.example\\.net"))
                .origin(origin -> {
                    if (origin.contains("boom")) {
                        throw new IllegalStateException("broken predicate");
                    }
                    return origin.endsWith(".tenant.test");
                })
                .build();
        try (TestServer s = TestServer.start(o -> o, b -> b.cors(cors))) {
            for (String ok : new String[] {"https://review-12.example.net", "https://acme.tenant.test"}) {
                HttpResponse<String> res = s.get(POLL, "Origin", ok);
                assertThat(res.statusCode()).as(ok).isEqualTo(200);
                assertThat(res.headers().firstValue("access-control-allow-origin"))
                        .hasValue(ok);
                assertThat(res.headers().allValues("vary")).contains("origin");
                assertThat(upgradeStatus(s, ok)).as(ok).isEqualTo(101);
            }
            // Full match, not a JS RegExp test(): a suffix or prefix does not sneak in.
            for (String bad : new String[] {
                "https://review-12.example.net.evil.test",
                "https://xreview-1.example.net",
                "https://boom.tenant.test",
                "https://evil.test"
            }) {
                assertThat(s.get(POLL, "Origin", bad).statusCode()).as(bad).isEqualTo(403);
                assertThat(upgradeStatus(s, bad)).as(bad).isEqualTo(403);
            }
        }
    }

    @Test
    void thePreflightCarriesMethodsHeadersMaxAgeAndCredentials() throws Exception {
        CorsOptions cors = CorsOptions.builder()
                .origins("https://app.test")
                .methods("GET", "POST")
                .allowedHeaders("X-Token", "Content-Type")
                .exposedHeaders("X-Trace-Id")
                .maxAge(Duration.ofMinutes(10))
                .credentials(true)
                .build();
        try (TestServer s = TestServer.start(o -> o, b -> b.cors(cors))) {
            HttpResponse<String> pre = s.send(
                    "OPTIONS",
                    POLL,
                    null,
                    "Origin",
                    "https://app.test",
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "x-token");
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("https://app.test");
            assertThat(pre.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST");
            assertThat(pre.headers().firstValue("access-control-allow-headers")).hasValue("X-Token,Content-Type");
            assertThat(pre.headers().firstValue("access-control-max-age")).hasValue("600");
            assertThat(pre.headers().firstValue("access-control-allow-credentials"))
                    .hasValue("true");
            HttpResponse<String> get = s.get(POLL, "Origin", "https://app.test");
            assertThat(get.headers().firstValue("access-control-expose-headers"))
                    .hasValue("X-Trace-Id");
            assertThat(get.headers().firstValue("access-control-allow-credentials"))
                    .hasValue("true");
        }
    }

    @Test
    void theDefaultsAreNodesCorsDefaults() throws Exception {
        try (TestServer s = TestServer.start(
                o -> o,
                b -> b.cors(CorsOptions.builder().origins("https://app.test").build()))) {
            HttpResponse<String> pre = s.send(
                    "OPTIONS",
                    POLL,
                    null,
                    "Origin",
                    "https://app.test",
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "x-custom");
            assertThat(pre.headers().firstValue("access-control-allow-methods"))
                    .hasValue("GET,HEAD,PUT,PATCH,POST,DELETE");
            assertThat(pre.headers().firstValue("access-control-allow-headers")).hasValue("x-custom");
            assertThat(pre.headers().firstValue("access-control-max-age")).isEmpty();
            assertThat(pre.headers().firstValue("access-control-allow-credentials"))
                    .isEmpty();
        }
    }

    @Test
    void withoutCorsOptionsOnlyTheSameOriginIsServed() throws Exception {
        try (TestServer s = TestServer.start()) {
            String self = "http://127.0.0.1:" + s.server.port();
            assertThat(s.get(POLL, "Origin", self).statusCode()).isEqualTo(200);
            assertThat(s.get(POLL, "Origin", "https://evil.test").statusCode()).isEqualTo(403);
            assertThat(upgradeStatus(s, "https://evil.test")).isEqualTo(403);
            assertThat(upgradeStatus(s, self)).isEqualTo(101);
        }
    }

    @Test
    void badEntriesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> CorsOptions.builder().origins("example.com").build())
                .hasMessageContaining("cors.origins");
        assertThatThrownBy(() -> CorsOptions.builder().methods("GET, POST").build())
                .hasMessageContaining("cors.methods");
        assertThatThrownBy(() ->
                        CorsOptions.builder().maxAge(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("cors.maxAge");
    }
}
