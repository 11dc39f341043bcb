package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.engineio.ConnectionError;
import dev.herald.engineio.CookieOptions;
import dev.herald.engineio.HttpRequestView;
import dev.herald.engineio.RequestRefusedException;
import dev.herald.engineio.transport.EngineError;
import dev.herald.testing.EngineIoTestClient;
import dev.herald.testing.RawWebSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The HTTP hooks of the Engine.IO path on the wire, over polling and the WebSocket upgrade:
 * allowRequest, middlewares, headers/initial_headers, connection_error and the sticky cookie.
 */
class HttpHooksTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String POLL = "/socket.io/?EIO=4&transport=polling";
    static final String WS = "/socket.io/?EIO=4&transport=websocket";
    static final ObjectMapper JSON = new ObjectMapper();

    static String sidOf(HttpResponse<String> handshake) throws Exception {
        return JSON.readTree(handshake.body().substring(1)).get("sid").asText();
    }

    static RawWebSocket ws(TestServer s, String pathAndQuery, String... headers) throws Exception {
        return new RawWebSocket(s.server.port(), pathAndQuery, headers);
    }

    @Nested
    class AllowRequest {

        final List<HttpRequestView> seen = new CopyOnWriteArrayList<>();

        TestServer server() {
            return TestServer.start(o -> o.allowRequest(req -> {
                seen.add(req);
                String token = req.header("x-token").orElse("");
                if (token.equals("expired")) {
                    throw new RequestRefusedException("token expired");
                }
                if (token.equals("boom")) {
                    throw new IllegalStateException("secret-token-value");
                }
                return token.equals("good") || req.query("token").orElse("").equals("good");
            }));
        }

        @Test
        void aRefusedPollingHandshakeGets403WithNodesBodyAndOpensNoSession() throws Exception {
            try (TestServer s = server()) {
                HttpResponse<String> res = s.get(POLL, "X-Token", "bad");
                assertThat(res.statusCode()).isEqualTo(403);
                assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
                assertThat(res.body()).isEqualTo("{\"code\":4,\"message\":\"Forbidden\"}");
                assertThat(s.engine.sessionCount()).isZero();
            }
        }

        @Test
        void aRefusalWithAMessageCarriesItInTheBody() throws Exception {
            try (TestServer s = server()) {
                HttpResponse<String> res = s.get(POLL, "X-Token", "expired");
                assertThat(res.statusCode()).isEqualTo(403);
                assertThat(res.body()).isEqualTo("{\"code\":4,\"message\":\"token expired\"}");
                try (RawWebSocket w = ws(s, WS, "X-Token", "expired")) {
                    assertThat(w.status).isEqualTo(403);
                    assertThat(w.responseHead.toLowerCase()).contains("content-type: application/json");
                }
            }
        }

        @Test
        void aThrowingCheckRefusesThatRequestOnlyAndTheServerGoesOn() throws Exception {
            try (TestServer s = server()) {
                HttpResponse<String> res = s.get(POLL, "X-Token", "boom");
                assertThat(res.statusCode()).isEqualTo(403);
                assertThat(res.body()).isEqualTo("{\"code\":4,\"message\":\"Forbidden\"}");
                assertThat(s.get(POLL, "X-Token", "good").statusCode()).isEqualTo(200);
            }
        }

        @Test
        void theCheckSeesHeadersQueryAndAddressOverPollingAndWebSocket() throws Exception {
            try (TestServer s = server()) {
                assertThat(s.get(POLL + "&token=good").statusCode()).isEqualTo(200);
                try (RawWebSocket w = ws(s, WS, "X-Token", "good")) {
                    assertThat(w.status).isEqualTo(101);
                }
                try (RawWebSocket w = ws(s, WS, "X-Token", "bad")) {
                    assertThat(w.status).isEqualTo(403);
                }
                HttpRequestView polling = seen.get(0);
                assertThat(polling.method()).isEqualTo("GET");
                assertThat(polling.query()).containsEntry("token", "good").containsEntry("transport", "polling");
                assertThat(polling.url()).startsWith(POLL);
                assertThat(polling.remoteAddress().getAddress().isLoopbackAddress())
                        .isTrue();
                assertThat(seen.get(1).header("X-TOKEN")).hasValue("good");
                assertThat(seen.get(1).query("transport")).hasValue("websocket");
            }
        }

        @Test
        void onlyHandshakesAreChecked() throws Exception {
            try (TestServer s = server()) {
                EngineIoTestClient c = EngineIoTestClient.builder(s.endpoint())
                        .transport("polling")
                        .header("X-Token", "good")
                        .connect();
                int before = seen.size();
                c.upgrade();
                c.sendMessage("hi");
                assertThat(c.nextMessage(WAIT).text()).isEqualTo("hi");
                // The upgrade carries the sid (and the same header), so it is not checked again.
                assertThat(seen).hasSize(before);
                c.close();
            }
        }
    }

    @Nested
    class Middleware {

        @Test
        void aMiddlewareSeesEveryRequestAndItsHeadersGoOnEveryAnswer() throws Exception {
            List<String> methods = new CopyOnWriteArrayList<>();
            try (TestServer s = TestServer.start(o -> o.use((req, headers) -> {
                methods.add(req.method() + (req.isHandshake() ? " handshake" : " sid"));
                headers.set("X-Frame-Options", "DENY");
            }))) {
                HttpResponse<String> hs = s.get(POLL);
                assertThat(hs.headers().firstValue("x-frame-options")).hasValue("DENY");
                String sid = sidOf(hs);
                HttpResponse<String> post = s.send("POST", POLL + "&sid=" + sid, "4hello");
                assertThat(post.body()).isEqualTo("ok");
                assertThat(post.headers().firstValue("x-frame-options")).hasValue("DENY");
                HttpResponse<String> poll = s.get(POLL + "&sid=" + sid);
                assertThat(poll.body()).isEqualTo("4hello");
                assertThat(poll.headers().firstValue("x-frame-options")).hasValue("DENY");
                try (RawWebSocket w = ws(s, WS)) {
                    assertThat(w.status).isEqualTo(101);
                    assertThat(w.responseHead).contains("\r\nX-Frame-Options: DENY\r\n");
                }
                assertThat(methods).containsExactly("GET handshake", "POST sid", "GET sid", "GET handshake");
            }
        }

        @Test
        void aThrowingMiddlewareAnswers400AndReportsMiddlewareFailure() throws Exception {
            List<ConnectionError> errors = new CopyOnWriteArrayList<>();
            try (TestServer s = TestServer.start(o -> o.use((req, headers) -> {
                        if (req.header("x-bad").isPresent()) {
                            throw new IllegalArgumentException("nope");
                        }
                    })
                    .onConnectionError(errors::add))) {
                HttpResponse<String> res = s.get(POLL, "X-Bad", "1");
                assertThat(res.statusCode()).isEqualTo(400);
                assertThat(res.body()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
                try (RawWebSocket w = ws(s, WS, "X-Bad", "1")) {
                    assertThat(w.status).isEqualTo(400);
                }
                assertThat(errors).hasSize(2).allSatisfy(e -> {
                    assertThat(e.code()).isEqualTo(EngineError.BAD_REQUEST);
                    assertThat(e.context()).containsEntry("name", "MIDDLEWARE_FAILURE");
                });
                assertThat(s.get(POLL).statusCode()).isEqualTo(200);
            }
        }
    }

    @Nested
    class Headers {

        @Test
        void initialHeadersGoOnHandshakesOnlyAndHeadersOnEveryAnswer() throws Exception {
            try (TestServer s = TestServer.start(o -> o.onInitialHeaders((req, h) -> h.set("X-Initial", "1"))
                    .onHeaders((req, h) -> h.set("X-Trace-Id", "t-" + req.method())))) {
                HttpResponse<String> hs = s.get(POLL);
                assertThat(hs.headers().firstValue("x-initial")).hasValue("1");
                assertThat(hs.headers().firstValue("x-trace-id")).hasValue("t-GET");
                String sid = sidOf(hs);
                HttpResponse<String> post = s.send("POST", POLL + "&sid=" + sid, "4x");
                assertThat(post.headers().firstValue("x-initial")).isEmpty();
                assertThat(post.headers().firstValue("x-trace-id")).hasValue("t-POST");
                try (RawWebSocket w = ws(s, WS)) {
                    assertThat(w.responseHead).contains("\r\nX-Initial: 1\r\n").contains("\r\nX-Trace-Id: t-GET\r\n");
                }
                try (RawWebSocket w = ws(s, WS + "&sid=" + sid)) {
                    assertThat(w.status).isEqualTo(101);
                    assertThat(w.responseHead).doesNotContain("X-Initial").contains("\r\nX-Trace-Id: t-GET\r\n");
                }
            }
        }

        @Test
        void aHookCannotSplitTheResponseAndAThrowingHookRefusesOnlyItsRequest() throws Exception {
            try (TestServer s = TestServer.start(o -> o.onHeaders((req, h) -> {
                if (req.header("x-evil").isPresent()) {
                    h.set("X-Echo", "a\r\nSet-Cookie: pwned=1");
                }
            }))) {
                HttpResponse<String> res = s.get(POLL, "X-Evil", "1");
                assertThat(res.statusCode()).isEqualTo(400);
                assertThat(res.headers().firstValue("set-cookie")).isEmpty();
                assertThat(s.engine.sessionCount()).isZero();
                assertThat(s.get(POLL).statusCode()).isEqualTo(200);
            }
        }
    }

    @Nested
    class ConnectionErrors {

        @Test
        void everyRefusalIsReportedWithNodesCode() throws Exception {
            List<ConnectionError> errors = new CopyOnWriteArrayList<>();
            try (TestServer s = TestServer.start(
                    o -> o.onConnectionError(e -> {
                        errors.add(e);
                        throw new IllegalStateException("a broken listener changes nothing");
                    }),
                    b -> b.corsAllowedOrigins("https://app.test"))) {
                String sid = sidOf(s.get(POLL));
                assertThat(s.get("/socket.io/?EIO=4&transport=carrier-pigeon").statusCode())
                        .isEqualTo(400);
                assertThat(s.get(POLL + "&sid=nope").body())
                        .isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
                assertThat(s.send("POST", POLL, "4x").body())
                        .isEqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}");
                try (RawWebSocket w = ws(s, WS + "&sid=" + sid)) {
                    assertThat(w.status).isEqualTo(101);
                }
                assertThat(s.get("/socket.io/?EIO=4&transport=websocket&sid=" + sid)
                                .statusCode())
                        .isEqualTo(400);
                assertThat(s.get(POLL, "Origin", "https://evil.test").statusCode())
                        .isEqualTo(403);
                assertThat(s.get("/socket.io/?EIO=9&transport=polling").body())
                        .isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
                assertThat(errors).extracting(e -> e.code().code()).containsExactly(0, 1, 2, 3, 4, 5);
                assertThat(errors.get(0).context()).containsEntry("transport", "carrier-pigeon");
                assertThat(errors.get(3).context()).containsEntry("name", "TRANSPORT_MISMATCH");
                assertThat(errors.get(4).context()).containsEntry("name", "ORIGIN_NOT_ALLOWED");
                assertThat(errors.get(5).message()).isEqualTo("Unsupported protocol version");
                assertThat(s.get(POLL).statusCode()).isEqualTo(200);
            }
        }
    }

    @Nested
    class StickyCookie {

        @Test
        void theDefaultCookieIsNodesAndOnlyOnThePollingHandshake() throws Exception {
            try (TestServer s = TestServer.start(o -> o.cookie(CookieOptions.defaults()))) {
                HttpResponse<String> hs = s.get(POLL);
                String sid = sidOf(hs);
                assertThat(hs.headers().allValues("set-cookie"))
                        .containsExactly("io=" + sid + "; Path=/; HttpOnly; SameSite=Lax");
                assertThat(s.send("POST", POLL + "&sid=" + sid, "4x").headers().firstValue("set-cookie"))
                        .isEmpty();
                assertThat(s.get(POLL + "&sid=" + sid).headers().firstValue("set-cookie"))
                        .isEmpty();
                try (RawWebSocket w = ws(s, WS)) {
                    assertThat(w.status).isEqualTo(101);
                    assertThat(w.responseHead.toLowerCase()).doesNotContain("set-cookie");
                }
            }
        }

        @Test
        void everyAttributeIsWrittenInNodesOrder() throws Exception {
            CookieOptions cookie = CookieOptions.builder()
                    .name("lb")
                    .path("/app")
                    .domain("example.test")
                    .secure(true)
                    .sameSite(CookieOptions.SameSite.NONE)
                    .maxAge(Duration.ofMinutes(90))
                    .httpOnly(false)
                    .build();
            try (TestServer s = TestServer.start(o -> o.cookie(cookie))) {
                HttpResponse<String> hs = s.get(POLL);
                assertThat(hs.headers().allValues("set-cookie"))
                        .containsExactly("lb=" + sidOf(hs)
                                + "; Max-Age=5400; Domain=example.test; Path=/app; Secure; SameSite=None");
            }
        }

        @Test
        void aHookMaySetAnotherCookieBesideTheStickyOne() throws Exception {
            try (TestServer s = TestServer.start(
                    o -> o.cookie(CookieOptions.builder().noSameSite().build())
                            .onInitialHeaders((req, h) -> h.add("Set-Cookie", "theme=dark")))) {
                HttpResponse<String> hs = s.get(POLL);
                assertThat(hs.headers().allValues("set-cookie"))
                        .containsExactlyInAnyOrder("theme=dark", "io=" + sidOf(hs) + "; Path=/; HttpOnly");
            }
        }
    }
}
