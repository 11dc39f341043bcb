package dev.herald.socketio.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.SocketIoServer;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input over real sockets: each case hurts at most the offending connection, and a bystander
 * connected to the same server keeps working.
 */
class BadInputTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final SocketIoServer io = SocketIoServer.create();
    private final RunningServer server = new RunningServer(io);
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private SocketIoTestClient bystander;

    @BeforeEach
    void start() {
        io.onCall("echo", (s, a) -> a.node(0));
        io.on("explode", (s, a) -> {
            throw new IllegalStateException("handler failure");
        });
        io.onError((s, e, t) -> errors.add(t));
        io.of("/other");
        io.of("/guarded").use((s, next) -> {
            throw new IllegalStateException("middleware failure");
        });
        bystander = server.client("websocket").connect();
    }

    @AfterEach
    void stop() {
        bystander.close();
        server.close();
    }

    private void bystanderIsUndisturbed() {
        assertThat(bystander.call("echo", T, "still here").get(0).asText()).isEqualTo("still here");
        assertThat(bystander.isDisconnected()).isFalse();
    }

    private void closesTheOffender(String transport, String raw) {
        try (SocketIoTestClient offender = server.client(transport).connect()) {
            offender.sendRaw(raw);
            offender.awaitDisconnect(T);
        }
        bystanderIsUndisturbed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void unknownNamespaceIsRefusedWithoutClosingTheConnection(String transport) {
        JsonNode error = server.client(transport).namespace("/random").connectExpectingError();
        assertThat(error.path("message").asText()).isEqualTo("Invalid namespace");
        bystanderIsUndisturbed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void unknownPacketTypeClosesTheConnection(String transport) {
        closesTheOffender(transport, "abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void nonArrayEventPayloadClosesTheConnection(String transport) {
        closesTheOffender(transport, "2{}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void invalidAckIdClosesTheConnection(String transport) {
        closesTheOffender(transport, "2abc[\"echo\",1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void invalidJsonClosesTheConnection(String transport) {
        closesTheOffender(transport, "2[\"echo\",");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void eventForANamespaceNotJoinedClosesTheConnection(String transport) {
        closesTheOffender(transport, "2/other,[\"echo\",1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void reservedEventNameFromTheClientClosesTheConnection(String transport) {
        closesTheOffender(transport, "2[\"disconnect\",1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void tooManyAttachmentsClosesTheConnection(String transport) {
        closesTheOffender(transport, "511-[\"echo\",{\"_placeholder\":true,\"num\":0}]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void ackForAnUnknownIdIsIgnored(String transport) {
        try (SocketIoTestClient c = server.client(transport).connect()) {
            c.sendRaw("3999[1]");
            assertThat(c.call("echo", T, 7).get(0).asInt()).isEqualTo(7);
        }
        bystanderIsUndisturbed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void throwingHandlerIsReportedAndTheConnectionKeepsWorking(String transport) {
        try (SocketIoTestClient c = server.client(transport).connect()) {
            c.emit("explode");
            assertThat(c.call("echo", T, "after").get(0).asText()).isEqualTo("after");
            assertThat(c.isDisconnected()).isFalse();
        }
        assertThat(errors).extracting(Throwable::getMessage).contains("handler failure");
        bystanderIsUndisturbed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void throwingMiddlewareRefusesTheConnectionWithAGenericError(String transport) {
        JsonNode error = server.client(transport).namespace("/guarded").connectExpectingError();
        assertThat(error.path("message").asText()).isEqualTo("Internal server error");
        assertThat(error.toString()).doesNotContain("middleware failure");
        bystanderIsUndisturbed();
    }
}
