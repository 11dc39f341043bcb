package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.Message;
import dev.herald.engineio.parser.Eio3Codec;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketType;
import dev.herald.testing.RawWebSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EIO3 clients, admitted only with allowEio3 and an explicit EIO=3. */
class Eio3Test {

    static final String V3 = "/socket.io/?EIO=3&transport=polling";

    static String sidOf(String openPayload) {
        int i = openPayload.indexOf("\"sid\":\"") + 7;
        return openPayload.substring(i, openPayload.indexOf('"', i));
    }

    @Test
    void base64PollingUsesTheLengthPrefixedTextPayload() throws Exception {
        try (TestServer server = TestServer.start(o -> o.allowEio3(true))) {
            HttpResponse<String> open = server.get(V3 + "&b64=1");
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
            String body = open.body();
            int colon = body.indexOf(':');
            assertThat(Integer.parseInt(body.substring(0, colon))).isEqualTo(body.length() - colon - 1);
            assertThat(body.substring(colon + 1)).startsWith("0{\"sid\":");
            assertThat(server.nextOpened().protocol()).isEqualTo(3);
            String sid = sidOf(body);

            assertThat(server.send("POST", V3 + "&b64=1&sid=" + sid, "6:4hello10:b4AQIDBA==")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(server.get(V3 + "&b64=1&sid=" + sid).body()).isEqualTo("6:4hello10:b4AQIDBA==");
        }
    }

    @Test
    void withoutB64PollingAnswersBinaryPayloadsAsOctetStream() throws Exception {
        try (TestServer server = TestServer.start(o -> o.allowEio3(true))) {
            HttpResponse<byte[]> open = server.http.send(
                    HttpRequest.newBuilder(server.uri(V3)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(open.headers().firstValue("content-type")).hasValue("application/octet-stream");
            List<Packet> packets = Eio3Codec.decodeBinaryPayload(open.body());
            assertThat(packets).hasSize(1);
            assertThat(packets.get(0).type()).isEqualTo(PacketType.OPEN);
            String sid = sidOf(packets.get(0).data());

            byte[] post = Eio3Codec.encodeBinaryPayload(List.of(Packet.message(Message.binary(new byte[] {7, 8}))));
            HttpResponse<String> posted = server.http.send(
                    HttpRequest.newBuilder(server.uri(V3 + "&sid=" + sid))
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(post))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(200);
            HttpResponse<byte[]> echoed = server.http.send(
                    HttpRequest.newBuilder(server.uri(V3 + "&sid=" + sid)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(echoed.body()).containsExactly(1, 3, 255, 4, 7, 8);
        }
    }

    @Test
    void theClientPingsAndTheServerPongs() throws Exception {
        // The wire of a ping and its pong; that each ping moves the deadline is checked in virtual
        // time by herald-engineio's EngineSessionTest.
        try (TestServer server = TestServer.start(o -> o.allowEio3(true))) {
            String sid = sidOf(server.get(V3 + "&b64=1").body());
            for (int i = 0; i < 3; i++) {
                assertThat(server.send("POST", V3 + "&b64=1&sid=" + sid, "1:2").statusCode())
                        .isEqualTo(200);
                // the server never pings an EIO3 client, so the only packet is the pong
                assertThat(server.get(V3 + "&b64=1&sid=" + sid).body()).isEqualTo("1:3");
            }
            assertThat(server.closeReasons).doesNotContainKey(sid);
        }
    }

    @Test
    void aSilentEio3ClientTimesOutAfterIntervalPlusTimeout() throws Exception {
        try (TestServer server = TestServer.start(
                o -> o.allowEio3(true).pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(200)))) {
            String sid = sidOf(server.get(V3 + "&b64=1").body());
            await().atMost(Duration.ofSeconds(3)).until(() -> server.closeReasons.containsKey(sid));
            assertThat(server.closeReasons.get(sid)).isEqualTo(CloseReason.PING_TIMEOUT);
        }
    }

    @Test
    void webSocketBinaryFramesCarryTheTypeByteAndTextPingsArePonged() throws Exception {
        try (TestServer server = TestServer.start(o -> o.allowEio3(true));
                RawWebSocket ws = new RawWebSocket(server.server.port(), "/socket.io/?EIO=3&transport=websocket")) {
            assertThat(ws.readFrame().text()).startsWith("0{\"sid\":");
            ws.sendFrame(1, "2".getBytes(StandardCharsets.UTF_8));
            assertThat(ws.readFrame().text()).isEqualTo("3");
            ws.sendFrame(2, new byte[] {4, 1, 2});
            RawWebSocket.Frame echoed = ws.readFrame();
            assertThat(echoed.opcode()).isEqualTo(2);
            assertThat(echoed.payload()).containsExactly(4, 1, 2);
            ws.sendFrame(1, "b4AQI=".getBytes(StandardCharsets.UTF_8));
            assertThat(ws.readFrame().payload()).containsExactly(4, 1, 2);
        }
    }

    @Test
    void onlyAnExplicitEio3SelectsIt() throws Exception {
        try (TestServer server = TestServer.start(o -> o.allowEio3(true))) {
            assertThat(server.get("/socket.io/?transport=polling").statusCode()).isEqualTo(400);
            assertThat(server.get("/socket.io/?EIO=2&transport=polling").statusCode())
                    .isEqualTo(400);
            assertThat(server.get("/socket.io/?EIO=4&transport=polling").body()).startsWith("0{");
        }
    }
}
