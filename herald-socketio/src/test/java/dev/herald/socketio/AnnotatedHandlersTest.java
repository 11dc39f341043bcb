package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.socketio.annotation.On;
import dev.herald.socketio.annotation.OnConnect;
import dev.herald.socketio.annotation.OnDisconnect;
import dev.herald.socketio.annotation.SocketNamespace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnnotatedHandlersTest {

    private final SocketIoServer io = SocketIoServer.create();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    {
        io.onError((s, e, t) -> errors.add(t));
    }

    @AfterEach
    void close() {
        io.close();
    }

    record Greeting(String name) {}

    @SocketNamespace("/chat")
    static class Chat {
        final List<String> log = new CopyOnWriteArrayList<>();

        @OnConnect
        void connected(Socket socket) {
            socket.emit("welcome");
        }

        @On("greet")
        String greet(Greeting g, int times) {
            return ("hi " + g.name() + " ").repeat(times).trim();
        }

        @On("note")
        void note(Socket socket, EventArgs args) {
            log.add(args.string(0));
        }

        @OnDisconnect
        void gone(DisconnectReason reason) {
            log.add(reason.wire());
        }
    }

    @Test
    void annotatedMethodsHandleEventsAndTheirReturnValueIsTheAck() throws Exception {
        Chat chat = new Chat();
        io.register(chat);
        FakeEngineSocket c = new FakeEngineSocket(io);
        c.connect("/chat");
        assertThat(c.nextText()).isEqualTo("2/chat,[\"welcome\"]");
        c.deliver("2/chat,5[\"greet\",{\"name\":\"bo\"},2]");
        assertThat(c.nextText()).isEqualTo("3/chat,5[\"hi bo hi bo\"]");
        c.deliver("2/chat,[\"note\",\"x\"]");
        c.deliver("1/chat,");
        await().atMost(Duration.ofSeconds(3))
                .failFast(() -> chat.log.size() > 2)
                .until(() -> chat.log.size() == 2);
        assertThat(errors).isEmpty();
        assertThat(chat.log).containsExactly("x", "client namespace disconnect");
    }

    static class BadParam {
        @OnConnect
        void connected(String notASocket) {}
    }

    static class Reserved {
        @On("disconnect")
        void d() {}
    }

    static class Nothing {
        void plain() {}
    }

    @Test
    void badSignaturesFailAtRegisterNamingTheMethod() {
        assertThatThrownBy(() -> io.register(new BadParam())).hasMessageContaining("BadParam.connected");
        assertThatThrownBy(() -> io.register(new Reserved())).hasMessageContaining("Reserved.d");
        assertThatThrownBy(() -> io.register(new Nothing())).hasMessageContaining("no @On");
    }
}
