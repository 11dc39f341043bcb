package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.Message;
import dev.herald.testing.RawWebSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** httpCompression on polling answers and permessage-deflate on WebSocket frames, checked on the wire. */
class CompressionTest {

    private static final String BIG = "x".repeat(2000);
    private static final String SMALL = "x".repeat(100);

    @Nested
    class Polling {

        @Test
        void answerOverThresholdIsGzippedForClientThatAcceptsIt() throws Exception {
            try (TestServer server = TestServer.start()) {
                HttpResponse<byte[]> res = pollAfterSend(server, Message.text(BIG), "gzip, deflate, br");
                assertThat(res.headers().firstValue("content-encoding")).hasValue("gzip");
                assertThat(res.body().length).isLessThan(BIG.length() / 4);
                assertThat(text(new GZIPInputStream(new ByteArrayInputStream(res.body()))))
                        .isEqualTo("4" + BIG);
            }
        }

        @Test
        void answerIsDeflatedForClientThatAcceptsOnlyDeflate() throws Exception {
            try (TestServer server = TestServer.start()) {
                HttpResponse<byte[]> res = pollAfterSend(server, Message.text(BIG), "gzip;q=0.5, deflate");
                assertThat(res.headers().firstValue("content-encoding")).hasValue("deflate");
                assertThat(text(new InflaterInputStream(new ByteArrayInputStream(res.body()))))
                        .isEqualTo("4" + BIG);
            }
        }

        @Test
        void answerIsPlainWithoutAcceptEncoding() throws Exception {
            try (TestServer server = TestServer.start()) {
                HttpResponse<byte[]> res = pollAfterSend(server, Message.text(BIG), null);
                assertThat(res.headers().firstValue("content-encoding")).isEmpty();
                assertThat(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo("4" + BIG);
            }
        }

        @Test
        void answerUnderThresholdIsPlain() throws Exception {
            try (TestServer server = TestServer.start()) {
                HttpResponse<byte[]> res = pollAfterSend(server, Message.text(SMALL), "gzip");
                assertThat(res.headers().firstValue("content-encoding")).isEmpty();
                assertThat(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo("4" + SMALL);
            }
        }

        @Test
        void messageSentWithCompressFalseIsPlain() throws Exception {
            try (TestServer server = TestServer.start()) {
                HttpResponse<byte[]> res =
                        pollAfterSend(server, Message.text(BIG).compress(false), "gzip");
                assertThat(res.headers().firstValue("content-encoding")).isEmpty();
                assertThat(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo("4" + BIG);
            }
        }

        @Test
        void httpCompressionOffSendsPlain() throws Exception {
            try (TestServer server = TestServer.start(o -> o.httpCompression(false))) {
                HttpResponse<byte[]> res = pollAfterSend(server, Message.text(BIG), "gzip");
                assertThat(res.headers().firstValue("content-encoding")).isEmpty();
            }
        }

        @Test
        void thresholdIsConfigurable() throws Exception {
            try (TestServer server = TestServer.start(o -> o.httpCompressionThreshold(50))) {
                HttpResponse<byte[]> res = pollAfterSend(server, Message.text(SMALL), "gzip");
                assertThat(res.headers().firstValue("content-encoding")).hasValue("gzip");
            }
        }

        private HttpResponse<byte[]> pollAfterSend(TestServer server, Message message, String acceptEncoding)
                throws Exception {
            String open = server.get("/socket.io/?EIO=4&transport=polling").body();
            Matcher m = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(open);
            assertThat(m.find()).isTrue();
            EngineSocket socket = server.nextOpened();
            socket.send(message);
            HttpRequest.Builder b = HttpRequest.newBuilder(
                            server.uri("/socket.io/?EIO=4&transport=polling&sid=" + m.group(1)))
                    .timeout(Duration.ofSeconds(10))
                    .GET();
            if (acceptEncoding != null) {
                b.header("Accept-Encoding", acceptEncoding);
            }
            return server.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    @Nested
    class WebSocket {

        private static final String OFFER = "permessage-deflate; client_max_window_bits";
        private static final String WS = "/socket.io/?EIO=4&transport=websocket";

        @Test
        void deflateIsNegotiatedWhenOnAndMessagesOverThresholdCarryRsv1() throws Exception {
            try (TestServer server = TestServer.start(o -> o.perMessageDeflate(true));
                    RawWebSocket ws = new RawWebSocket(server.server.port(), WS, "Sec-WebSocket-Extensions", OFFER)) {
                assertThat(ws.status).isEqualTo(101);
                assertThat(ws.responseHead.toLowerCase())
                        .contains("sec-websocket-extensions: permessage-deflate")
                        .contains("client_no_context_takeover");
                assertThat(ws.readFrame().text()).startsWith("0{");
                EngineSocket socket = server.nextOpened();

                socket.send(Message.text(BIG));
                RawWebSocket.Frame big = ws.readFrame();
                assertThat(big.rsv1()).isTrue();
                assertThat(big.payload().length).isLessThan(BIG.length() / 4);
                assertThat(big.text()).isEqualTo("4" + BIG);

                socket.send(Message.text(SMALL));
                RawWebSocket.Frame small = ws.readFrame();
                assertThat(small.rsv1()).isFalse();
                assertThat(small.text()).isEqualTo("4" + SMALL);

                socket.send(Message.text(BIG).compress(false));
                RawWebSocket.Frame plain = ws.readFrame();
                assertThat(plain.rsv1()).isFalse();
                assertThat(plain.text()).isEqualTo("4" + BIG);

                // The context survives an uncompressed frame in between.
                socket.send(Message.binary(BIG.getBytes(StandardCharsets.UTF_8)));
                RawWebSocket.Frame binary = ws.readFrame();
                assertThat(binary.opcode()).isEqualTo(2);
                assertThat(binary.rsv1()).isTrue();
                assertThat(binary.text()).isEqualTo(BIG);
            }
        }

        @Test
        void compressedFramesFromTheClientAreInflated() throws Exception {
            try (TestServer server = TestServer.start(o -> o.perMessageDeflate(true));
                    RawWebSocket ws = new RawWebSocket(server.server.port(), WS, "Sec-WebSocket-Extensions", OFFER)) {
                ws.readFrame();
                ws.sendCompressed(1, ("4" + BIG).getBytes(StandardCharsets.UTF_8));
                // The echo engine sends it back, compressed again.
                RawWebSocket.Frame echo = ws.readFrame();
                assertThat(echo.rsv1()).isTrue();
                assertThat(echo.text()).isEqualTo("4" + BIG);
            }
        }

        @Test
        void deflateIsNotNegotiatedByDefault() throws Exception {
            try (TestServer server = TestServer.start();
                    RawWebSocket ws = new RawWebSocket(server.server.port(), WS, "Sec-WebSocket-Extensions", OFFER)) {
                assertThat(ws.status).isEqualTo(101);
                assertThat(ws.responseHead.toLowerCase()).doesNotContain("sec-websocket-extensions");
                ws.readFrame();
                server.nextOpened().send(Message.text(BIG));
                RawWebSocket.Frame big = ws.readFrame();
                assertThat(big.rsv1()).isFalse();
                assertThat(big.text()).isEqualTo("4" + BIG);
            }
        }

        @Test
        void clientThatOffersNothingGetsPlainFrames() throws Exception {
            try (TestServer server = TestServer.start(o -> o.perMessageDeflate(true));
                    RawWebSocket ws = new RawWebSocket(server.server.port(), WS)) {
                assertThat(ws.responseHead.toLowerCase()).doesNotContain("sec-websocket-extensions");
                ws.readFrame();
                server.nextOpened().send(Message.text(BIG));
                assertThat(ws.readFrame().rsv1()).isFalse();
            }
        }

        @Test
        void compressedFrameWithoutNegotiationClosesTheConnection() throws Exception {
            try (TestServer server = TestServer.start();
                    RawWebSocket ws = new RawWebSocket(server.server.port(), WS)) {
                ws.readFrame();
                ws.sendCompressed(1, ("4" + BIG).getBytes(StandardCharsets.UTF_8));
                assertThat(ws.readUntilClosed()).isEqualTo(1002);
            }
        }

        @Test
        void offerWithSmallServerWindowIsDeclined() throws Exception {
            try (TestServer server = TestServer.start(o -> o.perMessageDeflate(true));
                    RawWebSocket ws = new RawWebSocket(
                            server.server.port(),
                            WS,
                            "Sec-WebSocket-Extensions",
                            "permessage-deflate; server_max_window_bits=10")) {
                assertThat(ws.status).isEqualTo(101);
                assertThat(ws.responseHead.toLowerCase()).doesNotContain("sec-websocket-extensions");
            }
        }
    }

    @Nested
    class StaticFilesAndBundle {

        @Test
        void clientBundleIsGzippedWithAnEtagAndA304ForTheSameTag() throws Exception {
            try (TestServer server = TestServer.start()) {
                HttpResponse<byte[]> plain = get(server, "/socket.io/socket.io.min.js");
                assertThat(plain.statusCode()).isEqualTo(200);
                assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
                String etag = plain.headers().firstValue("etag").orElseThrow();

                HttpResponse<byte[]> gzipped = get(server, "/socket.io/socket.io.min.js", "Accept-Encoding", "gzip");
                assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
                assertThat(gzipped.headers().firstValue("etag")).hasValue(etag);
                assertThat(gzipped.headers().firstValue("vary"))
                        .hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
                assertThat(gzipped.body().length).isLessThan(plain.body().length / 2);
                assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes())
                        .isEqualTo(plain.body());

                HttpResponse<byte[]> again = get(server, "/socket.io/socket.io.min.js", "If-None-Match", etag);
                assertThat(again.statusCode()).isEqualTo(304);
                assertThat(again.body()).isEmpty();
                assertThat(get(server, "/socket.io/socket.io.min.js", "If-None-Match", "W/\"other\"")
                                .statusCode())
                        .isEqualTo(200);
            }
        }

        @Test
        void pagesOverTheThresholdAreGzippedAndSmallOnesAreNot() throws Exception {
            try (TestServer server = TestServer.start(
                    o -> o, b -> b.page("/big", "<p>" + BIG + "</p>").page("/small", "<p>hi</p>"))) {
                HttpResponse<byte[]> big = get(server, "/big", "Accept-Encoding", "gzip, deflate");
                assertThat(big.headers().firstValue("content-encoding")).hasValue("gzip");
                assertThat(text(new GZIPInputStream(new ByteArrayInputStream(big.body()))))
                        .isEqualTo("<p>" + BIG + "</p>");
                HttpResponse<byte[]> small = get(server, "/small", "Accept-Encoding", "gzip");
                assertThat(small.headers().firstValue("content-encoding")).isEmpty();
                assertThat(small.headers().firstValue("etag")).isPresent();
                assertThat(new String(small.body(), StandardCharsets.UTF_8)).isEqualTo("<p>hi</p>");
            }
        }

        private HttpResponse<byte[]> get(TestServer server, String path, String... headers) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                    .timeout(Duration.ofSeconds(10))
                    .GET();
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return server.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private static String text(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
