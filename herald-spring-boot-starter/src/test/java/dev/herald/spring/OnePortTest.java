package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.DisconnectReason;
import dev.herald.socketio.SocketIoServer;
import dev.herald.spring.app.ChatApp;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The README's application ({@link ChatApp}, its {@code ChatHandler} and a REST controller) in
 * embedded Tomcat on a random port: Spring MVC and Socket.IO answer on that one port.
 * {@link JettyOnePortTest} runs the same checks on Jetty.
 */
@SpringBootTest(
        classes = ChatApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "herald.ping-timeout=4s",
            "spring.jackson.property-naming-strategy=SNAKE_CASE"
        })
@Import({
    EventRecorder.class,
    JsonBeside.PersonController.class,
    JsonBeside.PersonHandler.class,
    OnePortTest.ThreadController.class
})
class OnePortTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @LocalServerPort
    int port;

    @Autowired
    SocketIoServer io;

    @Autowired
    EventRecorder recorder;

    @Autowired
    WebServerApplicationContext context;

    /** The container Boot should have picked from this test run's class path (the pom's surefire runs). */
    Class<? extends WebServer> expectedWebServer() {
        return TomcatWebServer.class;
    }

    @Test
    void bootServesTheApplicationFromTheExpectedContainer() {
        assertThat(context.getWebServer())
                .as("the web server of this surefire run (run it through Maven: an IDE puts Tomcat and"
                        + " Jetty on one class path, where Boot picks Jetty)")
                .isInstanceOf(expectedWebServer());
        assertThat(context.getWebServer().getPort()).isEqualTo(port);
    }

    @Test
    void theRestControllerAnswersOnTheSamePort() throws Exception {
        HttpResponse<String> r = Http.get(port, "/hello");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from Spring MVC");
    }

    @Test
    void theClientBundleIsServedUnderThePathWithAnEtag() throws Exception {
        HttpResponse<String> bundle = Http.get(port, "/socket.io/socket.io.min.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/javascript"));
        assertThat(bundle.body()).contains("Socket.IO v4");
        String etag = bundle.headers().firstValue("ETag").orElseThrow();
        assertThat(Http.get(port, "/socket.io/socket.io.min.js", "If-None-Match", etag)
                        .statusCode())
                .isEqualTo(304);
        // A cache may revalidate with a list or the weak form of the tag.
        assertThat(Http.get(port, "/socket.io/socket.io.min.js", "If-None-Match", "\"other\", W/" + etag)
                        .statusCode())
                .isEqualTo(304);
        assertThat(Http.get(port, "/socket.io/socket.io.min.js.map").body()).startsWith("{");
        // Anything else below the path is still the transport's, which knows no files.
        assertThat(Http.get(port, "/socket.io/other.js").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void theReadmeHandlerBeanAnswersOnTheApplicationsPort(String transport) {
        try (SocketIoTestClient a = SocketIoTestClient.builder(port)
                        .transport(transport)
                        .namespace("/chat")
                        .connect();
                SocketIoTestClient b = SocketIoTestClient.builder(port)
                        .transport(transport)
                        .namespace("/chat")
                        .connect()) {
            a.emit("message", "hi");
            ReceivedEvent got = b.nextEvent("message", WAIT);
            assertThat(got.arg(0).asText()).isEqualTo(a.sid() + ": hi");
            assertThat(got.transport()).isEqualTo(transport);
            assertThat(a.nextEvent("message", WAIT).arg(0).asText()).isEqualTo(a.sid() + ": hi");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void anEventIsAnsweredWithItsAckOverEachTransport(String transport) {
        boolean upgrade = transport.equals("upgrade");
        try (SocketIoTestClient c = SocketIoTestClient.builder(port)
                .transport(upgrade ? "polling" : transport)
                .namespace("/people")
                .connect()) {
            if (upgrade) {
                // The client's polling has stopped once this returns: the ack can only come over
                // the WebSocket.
                c.engine().upgrade();
                assertThat(c.engine().transport()).isEqualTo("websocket");
            }
            ArrayNode ack = c.call("older", WAIT, Map.of("firstName", "Grace", "age", 85));
            assertThat(ack.get(0).get("firstName").asText()).isEqualTo("Grace");
            assertThat(ack.get(0).get("age").asInt()).isEqualTo(86);
        }
    }

    @Test
    void theHandshakeCarriesTheReadmesPropertiesAndTheTestsOwn() {
        try (SocketIoTestClient c = SocketIoTestClient.builder(port).connect()) {
            assertThat(c.engine().handshake().get("pingInterval").asInt()).isEqualTo(20_000);
            assertThat(c.engine().handshake().get("maxPayload").asInt()).isEqualTo(512 * 1024);
            assertThat(c.engine().handshake().get("pingTimeout").asInt()).isEqualTo(4000);
        }
    }

    @Test
    void theReadmesAllowedOriginMayConnectAndOthersMayNot() throws Exception {
        String handshake = "/socket.io/?EIO=4&transport=polling";
        HttpResponse<String> allowed = Http.get(port, handshake, "Origin", "https://app.example.com");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        HttpResponse<String> refused = Http.get(port, handshake, "Origin", "https://elsewhere.example.com");
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void eventListenersReceiveConnectAndDisconnect() throws Exception {
        String sid;
        try (SocketIoTestClient c =
                SocketIoTestClient.builder(port).namespace("/chat").connect()) {
            sid = c.sid();
            Object connected = recorder.next(sid, SocketConnectedEvent.class, WAIT);
            assertThat(connected).isInstanceOfSatisfying(SocketConnectedEvent.class, e -> {
                assertThat(e.socket().id()).isEqualTo(sid);
                assertThat(e.namespace()).isEqualTo("/chat");
                // Published after ChatHandler's @OnConnect: the socket is in its room already.
                assertThat(e.socket().rooms()).contains("lobby");
            });
            c.disconnect();
        }
        Object disconnected = recorder.next(sid, SocketDisconnectedEvent.class, WAIT);
        assertThat(disconnected).isInstanceOfSatisfying(SocketDisconnectedEvent.class, e -> {
            assertThat(e.socket().id()).isEqualTo(sid);
            assertThat(e.namespace()).isEqualTo("/chat");
            assertThat(e.reason()).isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
        });
    }

    @Test
    void eventListenersReceiveRoomJoinsAndLeavesInOrder() throws Exception {
        String sid;
        List<String> joined = new ArrayList<>();
        try (SocketIoTestClient c =
                SocketIoTestClient.builder(port).namespace("/chat").connect()) {
            sid = c.sid();
            // The socket's own room at connect, then ChatHandler's @OnConnect joins the lobby.
            for (int i = 0; i < 2; i++) {
                RoomJoinedEvent e = recorder.next(sid, RoomJoinedEvent.class, WAIT);
                assertThat(e.namespace()).isEqualTo("/chat");
                joined.add(e.room());
            }
            c.disconnect();
        }
        assertThat(joined).containsExactly(sid, "lobby");
        Set<String> left = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            left.add(recorder.next(sid, RoomLeftEvent.class, WAIT).room());
        }
        assertThat(left).containsExactlyInAnyOrder(sid, "lobby");
    }

    @Test
    void theApplicationsJsonSettingsShapeMvcButNotHeraldsOwnMapper() throws Exception {
        try (SocketIoTestClient c =
                SocketIoTestClient.builder(port).namespace("/people").connect()) {
            HttpResponse<String> r = Http.get(port, "/person");
            assertThat(r.body()).isEqualTo("{\"first_name\":\"Ada\",\"age\":36}");

            ArrayNode ack = c.call("older", WAIT, Map.of("firstName", "Ada", "age", 36));
            assertThat(ack.get(0).get("firstName").asText()).isEqualTo("Ada");
            assertThat(ack.get(0).get("age").asInt()).isEqualTo(37);
        }
    }

    @Test
    void theHandlerBeanWasRegisteredOnTheServerBean() {
        assertThat(io.namespace("/chat")).isPresent();
    }

    /**
     * The loops that own Herald's sessions never run the application's requests. A container may
     * serve a request pipelined behind a poll on whichever thread answers that poll (Tomcat does
     * when a thread outside its pool registers the write listener): that put MVC controllers on
     * Herald's loops and re-entered the engine in the middle of a handshake, where a CONNECT
     * posted right behind it was lost (about one polling client in twenty).
     */
    @Test
    void aRequestPipelinedBehindAPollIsServedByTheContainerNotByHeraldsLoop() throws Exception {
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
            raw.setSoTimeout((int) WAIT.toMillis());
            String head = " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n";
            // One write: the second request waits in the container's buffer while the poll is answered.
            raw.getOutputStream()
                    .write(("GET /socket.io/?EIO=4&transport=polling" + head + "GET /thread" + head)
                            .getBytes(StandardCharsets.US_ASCII));
            StringBuilder answers = new StringBuilder();
            byte[] chunk = new byte[4096];
            while (!answers.toString().matches("(?s).*served on [^;]*;.*")) {
                int n = raw.getInputStream().read(chunk);
                assertThat(n).as("answers so far: %s", answers).isPositive();
                answers.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
            }
            assertThat(answers.toString()).contains("0{\"sid\":");
            assertThat(answers.substring(answers.indexOf("served on ")))
                    .as("the thread that served the pipelined request")
                    .doesNotContain(LOOP_THREAD);
        }
    }

    /** The name of herald-servlet's loop threads ({@code herald-servlet-0}, ...). */
    private static final String LOOP_THREAD = "herald-servlet-";

    /** Says which thread serves it. */
    @RestController
    static class ThreadController {
        @GetMapping("/thread")
        String thread() {
            return "served on " + Thread.currentThread().getName() + ";";
        }
    }
}
