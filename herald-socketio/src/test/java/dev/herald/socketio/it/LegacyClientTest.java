package dev.herald.socketio.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.EngineIoOptions;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A JS-client-2.x conversation (Engine.IO 3, Socket.IO protocol v4) over raw base64 polling. */
class LegacyClientTest {

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String get(RunningServer server, String query) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/socket.io/?" + query))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private int post(RunningServer server, String query, String body) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/socket.io/?" + query))
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String frame(String packet) {
        return packet.length() + ":" + packet;
    }

    @Test
    void eio3ClientIsConnectedToTheMainNamespaceAndCanCallAHandler() throws Exception {
        SocketIoServer io = SocketIoServer.create(SocketIoOptions.builder()
                .engine(EngineIoOptions.builder().allowEio3(true).build())
                .build());
        io.onCall("sum", (s, a) -> a.get(0, Integer.class) + a.get(1, Integer.class));
        try (RunningServer server = new RunningServer(io)) {
            String open = get(server, "EIO=3&transport=polling&b64=1");
            int i = open.indexOf("\"sid\":\"") + 7;
            String sid = open.substring(i, open.indexOf('"', i));
            String q = "EIO=3&transport=polling&b64=1&sid=" + sid;
            // The implicit main-namespace CONNECT may share the open response or come in the next poll.
            String received = open.contains(frame("40")) ? open : get(server, q);
            assertThat(received).contains(frame("40"));
            assertThat(post(server, q, frame("427[\"sum\",2,5]"))).isEqualTo(200);
            assertThat(get(server, q)).isEqualTo(frame("437[7]"));
        }
    }
}
