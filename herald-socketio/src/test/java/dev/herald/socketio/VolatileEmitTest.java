package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.Message;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code asVolatile()} reaches the engine as {@link EngineSocket#sendVolatile}, which the engine
 * may drop for a slow consumer; ordinary emits stay {@link EngineSocket#send}.
 */
class VolatileEmitTest {

    final SocketIoServer io = SocketIoServer.create();

    @AfterEach
    void stop() {
        io.close();
    }

    /** Records which engine method each message went through. */
    static final class RecordingEngineSocket implements EngineSocket {
        record Sent(String text, boolean isVolatile) {}

        final LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        final EngineSocketListener listener;

        RecordingEngineSocket(SocketIoServer io) {
            listener = io.connectionHandler().onOpen(this);
        }

        Sent next() throws InterruptedException {
            Sent s = sent.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("a message from the server").isNotNull();
            return s;
        }

        @Override
        public String id() {
            return "eio-volatile";
        }

        @Override
        public int protocol() {
            return 4;
        }

        @Override
        public HandshakeRequest request() {
            return new HandshakeRequest(
                    Map.of(),
                    Map.of(),
                    "/socket.io/?EIO=4&transport=websocket",
                    new InetSocketAddress("127.0.0.1", 1),
                    false,
                    Instant.now());
        }

        @Override
        public String transport() {
            return "websocket";
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void send(Message message) {
            sent.add(new Sent(message.text(), false));
        }

        @Override
        public void send(List<Message> messages) {
            messages.forEach(this::send);
        }

        @Override
        public void sendVolatile(Message message) {
            sent.add(new Sent(message.text(), true));
        }

        @Override
        public void sendVolatile(List<Message> messages) {
            messages.forEach(this::sendVolatile);
        }

        @Override
        public void close() {
            listener.onClose(this, CloseReason.FORCED_CLOSE, "");
        }
    }

    @Test
    void volatileBroadcastsGoThroughSendVolatileAndOthersThroughSend() throws Exception {
        RecordingEngineSocket engine = new RecordingEngineSocket(io);
        engine.listener.onMessage(engine, Message.text("0"));
        assertThat(engine.next().text()).startsWith("0{\"sid\"");

        io.asVolatile().emit("tick", 1);
        io.emit("tock", 2);

        assertThat(engine.next()).isEqualTo(new RecordingEngineSocket.Sent("2[\"tick\",1]", true));
        assertThat(engine.next()).isEqualTo(new RecordingEngineSocket.Sent("2[\"tock\",2]", false));
    }

    @Test
    void aSocketsVolatileEmitGoesThroughSendVolatileAndIsNotKeptForRecovery() throws Exception {
        SocketIoServer recovering = SocketIoServer.create(
                SocketIoOptions.builder().connectionStateRecovery().build());
        try {
            RecordingEngineSocket engine = new RecordingEngineSocket(recovering);
            engine.listener.onMessage(engine, Message.text("0"));
            assertThat(engine.next().text()).startsWith("0{\"sid\"");
            Socket socket = recovering.sockets().sockets().values().iterator().next();

            socket.asVolatile().emit("tick", 1);
            socket.emit("tock", 2);

            assertThat(engine.next()).isEqualTo(new RecordingEngineSocket.Sent("2[\"tick\",1]", true));
            RecordingEngineSocket.Sent tock = engine.next();
            assertThat(tock.isVolatile()).isFalse();
            assertThat(tock.text()).startsWith("2[\"tock\",2,\"");
        } finally {
            recovering.close();
        }
    }
}
