package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Socket.IO protocol v4, spoken by JS client 2.x over Engine.IO 3 (opt-in on the engine). */
class LegacyProtocolTest {

    private final SocketIoServer io = SocketIoServer.create();

    @AfterEach
    void close() {
        io.close();
    }

    private FakeEngineSocket v3Client() {
        return new FakeEngineSocket(io, Map.of("token", "q"), 3);
    }

    @Test
    void clientIsInTheMainNamespaceAtOnceAndTheReplyHasNoPayload() throws Exception {
        io.onConnect(s -> s.emit("hi", s.handshake().query("token").orElse("?")));
        FakeEngineSocket c = v3Client();
        assertThat(c.nextText()).isEqualTo("0");
        assertThat(c.nextText()).isEqualTo("2[\"hi\",\"q\"]");
    }

    @Test
    void customNamespaceWithQueryIsJoinedByItsName() throws Exception {
        io.of("/chat").onConnect(s -> s.emit("in", s.namespace().name()));
        FakeEngineSocket c = v3Client();
        assertThat(c.nextText()).isEqualTo("0");
        c.deliver("0/chat?x=1,");
        assertThat(c.nextText()).isEqualTo("0/chat,");
        assertThat(c.nextText()).isEqualTo("2/chat,[\"in\",\"/chat\"]");
    }

    @Test
    void errorsAreStringsOrTheRefusalData() throws Exception {
        io.of("/private").use((s, next) -> {
            throw new ConnectionRefusedException("not authorized");
        });
        io.of("/data").use((s, next) -> {
            throw new ConnectionRefusedException("no", Map.of("code", 7));
        });
        FakeEngineSocket c = v3Client();
        assertThat(c.nextText()).isEqualTo("0");
        c.deliver("0/nowhere,");
        assertThat(c.nextText()).isEqualTo("4/nowhere,\"Invalid namespace\"");
        c.deliver("0/private,");
        assertThat(c.nextText()).isEqualTo("4/private,\"not authorized\"");
        c.deliver("0/data,");
        assertThat(c.nextText()).isEqualTo("4/data,{\"code\":7}");
    }

    @Test
    void eventsAndAcksAreTheSameAsInV5() throws Exception {
        io.onCall("sum", (s, a) -> a.get(0, Integer.class) + a.get(1, Integer.class));
        FakeEngineSocket c = v3Client();
        assertThat(c.nextText()).isEqualTo("0");
        c.deliver("23[\"sum\",1,2]");
        assertThat(c.nextText()).isEqualTo("33[3]");
    }
}
