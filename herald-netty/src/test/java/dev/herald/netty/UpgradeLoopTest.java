package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.Message;
import dev.herald.testing.EngineIoTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A session upgraded from polling runs on one loop: its WebSocket channel is moved to the
 * session's home loop before the handshake, so frames need no hop between threads.
 */
class UpgradeLoopTest {

    private static final Duration T = Duration.ofSeconds(5);

    /** For each message: the thread that handled it (home), then the one its answer was written on. */
    private final BlockingQueue<String[]> threads = new LinkedBlockingQueue<>();

    @Test
    void anUpgradedSessionsWebSocketIsOnItsHomeLoop() throws Exception {
        EngineIoServer engine = EngineIoServer.create(EngineIoOptions.defaults(), socket -> new EngineSocketListener() {
            @Override
            public void onMessage(EngineSocket s, Message message) {
                String home = Thread.currentThread().getName();
                s.send(message);
                // Over WebSocket this runs on the channel's loop once the answer is written.
                s.whenSent(() ->
                        threads.add(new String[] {home, Thread.currentThread().getName()}));
            }

            @Override
            public void onClose(EngineSocket s, CloseReason reason, String description) {}
        });
        // Four loops: the handshake's and the WebSocket's connections land on different ones.
        try (NettyServer server = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(engine)
                .ioThreads(4)
                .serveClient(false)
                .build()
                .start()) {
            URI endpoint = URI.create("http://127.0.0.1:" + server.port() + "/socket.io/");
            for (int i = 0; i < 4; i++) {
                try (EngineIoTestClient c = EngineIoTestClient.builder(endpoint)
                        .transport("polling")
                        .connect()) {
                    c.upgrade();
                    c.sendMessage("over websocket " + i);
                    assertThat(c.nextMessage(T).text()).isEqualTo("over websocket " + i);
                    String[] seen = threads.poll(T.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(seen).as("no answer written").isNotNull();
                    assertThat(seen[1])
                            .as("the WebSocket's loop, for session " + i)
                            .isEqualTo(seen[0]);
                }
            }
        } finally {
            engine.close();
        }
    }
}
