package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.testing.EngineIoTestClient;
import dev.herald.testing.RawWebSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Origin check and CORS with an allowlist of exact origins and patterns: the same check on
 * polling and on the WebSocket upgrade (cross-site WebSocket hijacking), credentials only when
 * configured, and bystanders unharmed.
 */
class OriginTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String POLL = "/socket.io/?EIO=4&transport=polling";
    static final String WS = "/socket.io/?EIO=4&transport=websocket";

    TestServer server;
    EngineIoTestClient bystanderPolling;
    EngineIoTestClient bystanderWs;

    @BeforeEach
    void start() {
        server = TestServer.start(o -> o, s -> s.corsAllowedOrigins("https://app.exact.test", "https://*.example.com"));
        bystanderPolling = EngineIoTestClient.builder(server.endpoint())
                .transport("polling")
                .header("Origin", "https://app.exact.test")
                .connect();
        bystanderWs = EngineIoTestClient.builder(server.endpoint())
                .transport("websocket")
                .header("Origin", "https://chat.example.com")
                .connect();
    }

    @AfterEach
    void stop() {
        // The bystanders were not harmed by whatever the test did.
        server.checkBystandersAndClose(WAIT, bystanderPolling, bystanderWs);
    }

    int upgradeStatus(String pathAndQuery, String origin) throws Exception {
        try (RawWebSocket ws = new RawWebSocket(server.server.port(), pathAndQuery, "Origin", origin)) {
            return ws.status;
        }
    }

    HttpResponse<String> preflight(String origin) throws Exception {
        return server.send("OPTIONS", POLL, null, "Origin", origin, "Access-Control-Request-Method", "POST");
    }

    @Test
    void aForeignOriginCannotOpenAWebSocketEvenWithAValidSid() throws Exception {
        // Cross-site WebSocket hijacking: a page elsewhere rides the victim's session id.
        String sid = bystanderPolling.sid();
        assertThat(upgradeStatus(WS + "&sid=" + sid, "https://evil.test")).isEqualTo(403);
        assertThat(upgradeStatus(WS, "https://evil.test")).isEqualTo(403);
        assertThat(upgradeStatus(WS, "null")).isEqualTo(403);
        assertThat(server.engine.session(sid)).isPresent();
    }

    @Test
    void aPatternAllowsAnySubdomainOnPollingAndWebSocket() throws Exception {
        for (String origin :
                new String[] {"https://app.example.com", "https://a.b.example.com", "https://APP.Example.com"}) {
            HttpResponse<String> res = preflight(origin);
            assertThat(res.statusCode()).as(origin).isEqualTo(204);
            assertThat(res.headers().firstValue("access-control-allow-origin")).hasValue(origin);
            assertThat(res.headers().firstValue("access-control-allow-credentials"))
                    .isEmpty();
            assertThat(server.get(POLL, "Origin", origin).statusCode()).isEqualTo(200);
            assertThat(upgradeStatus(WS, origin)).as(origin).isEqualTo(101);
        }
    }

    @Test
    void aPatternDoesNotMatchLookalikesTheBareDomainOrAnotherScheme() throws Exception {
        for (String origin : new String[] {
            "https://example.com",
            "https://evilexample.com",
            "https://app.example.com.evil.test",
            "http://app.example.com",
            "https://app.example.com:8443",
            "https://x@app.example.com",
            "https://app.exact.test.evil.test"
        }) {
            HttpResponse<String> res = preflight(origin);
            assertThat(res.statusCode()).as(origin).isEqualTo(403);
            assertThat(res.headers().firstValue("access-control-allow-origin"))
                    .as(origin)
                    .isEmpty();
            assertThat(server.get(POLL, "Origin", origin).statusCode())
                    .as(origin)
                    .isEqualTo(403);
            assertThat(upgradeStatus(WS, origin)).as(origin).isEqualTo(403);
        }
    }

    @Test
    void credentialsAreAllowedOnlyWhenConfiguredAndOnlyForListedOrigins() throws Exception {
        assertThat(server.get(POLL, "Origin", "https://app.exact.test")
                        .headers()
                        .firstValue("access-control-allow-credentials"))
                .isEmpty();
        try (TestServer creds = TestServer.start(
                o -> o, s -> s.corsAllowedOrigins("https://*.example.com").corsAllowCredentials(true))) {
            HttpResponse<String> pre = creds.send(
                    "OPTIONS",
                    POLL,
                    null,
                    "Origin",
                    "https://app.example.com",
                    "Access-Control-Request-Method",
                    "POST");
            assertThat(pre.headers().firstValue("access-control-allow-credentials"))
                    .hasValue("true");
            assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
            HttpResponse<String> foreign = creds.get(POLL, "Origin", "https://evil.test");
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(foreign.headers().firstValue("access-control-allow-credentials"))
                    .isEmpty();
        }
    }

    @Test
    void malformedPatternsAreRefusedAtBuild() {
        for (String bad : new String[] {"https://app.*.com", "https://*example.com", "https://*.", "https://a.*"}) {
            assertThatThrownBy(() -> NettyServer.builder()
                            .engine(server.engine)
                            .corsAllowedOrigins(bad)
                            .build())
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("corsAllowedOrigins");
        }
    }
}
