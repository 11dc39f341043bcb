package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code socket.compress(false)} and {@code compress(false)} on a broadcast reach the engine as
 * messages whose {@link Message#compress()} is false (which the transports then send as they are;
 * herald-netty's CompressionTest checks the wire); everything else may be compressed.
 */
class CompressEmitTest {

    final SocketIoServer io = SocketIoServer.create();

    @AfterEach
    void stop() {
        io.close();
    }

    private Socket connect(SocketIoServer server, FakeEngineSocket engine) throws InterruptedException {
        engine.deliver("0");
        assertThat(engine.nextText()).startsWith("0{\"sid\"");
        return server.sockets().sockets().values().iterator().next();
    }

    @Test
    void aSocketsCompressFalseEmitIsMarkedAndAPlainEmitIsNot() throws Exception {
        FakeEngineSocket engine = new FakeEngineSocket(io);
        Socket socket = connect(io, engine);

        socket.compress(false).emit("plain", 1);
        socket.emit("normal", 2);
        socket.compress(true).send("three");

        Message plain = engine.next();
        assertThat(plain.text()).isEqualTo("2[\"plain\",1]");
        assertThat(plain.compress()).isFalse();
        Message normal = engine.next();
        assertThat(normal.text()).isEqualTo("2[\"normal\",2]");
        assertThat(normal.compress()).isTrue();
        assertThat(engine.next().compress()).isTrue();
    }

    @Test
    void everyPartOfABinaryPacketIsMarked() throws Exception {
        FakeEngineSocket engine = new FakeEngineSocket(io);
        Socket socket = connect(io, engine);

        socket.compress(false).emit("bin", (Object) new byte[] {1, 2, 3});

        Message header = engine.next();
        assertThat(header.text()).startsWith("51-[\"bin\"");
        assertThat(header.compress()).isFalse();
        Message attachment = engine.next();
        assertThat(attachment.binary()).containsExactly(1, 2, 3);
        assertThat(attachment.compress()).isFalse();
    }

    @Test
    void aBroadcastWithCompressFalseIsMarked() throws Exception {
        FakeEngineSocket engine = new FakeEngineSocket(io);
        Socket socket = connect(io, engine);

        io.to(socket.id()).compress(false).emit("plain", 1);
        io.to(socket.id()).emit("normal", 2);

        assertThat(engine.next().compress()).isFalse();
        assertThat(engine.next().compress()).isTrue();
    }

    @Test
    void withRecoveryTheFlagSurvivesTheTripThroughTheAdapter() throws Exception {
        SocketIoServer recovering = SocketIoServer.create(
                SocketIoOptions.builder().connectionStateRecovery().build());
        try {
            FakeEngineSocket engine = new FakeEngineSocket(recovering);
            Socket socket = connect(recovering, engine);

            socket.compress(false).emit("plain", 1);
            socket.emit("normal", 2);

            Message plain = engine.next();
            assertThat(plain.text()).startsWith("2[\"plain\",1,\"");
            assertThat(plain.compress()).isFalse();
            assertThat(engine.next().compress()).isTrue();
        } finally {
            recovering.close();
        }
    }
}
