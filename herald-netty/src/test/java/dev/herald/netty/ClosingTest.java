package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.Message;
import dev.herald.testing.RawWebSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server-side close delivers what was queued before it, and a peer that does not fetch it is
 * still let go within the close timeout (2 s in the engine, 1 s for a WebSocket close frame).
 */
class ClosingTest {

    static final Duration BOUND = Duration.ofSeconds(5);
    static final String PAD = "x".repeat(4000);

    TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    /** Opens a polling session over raw HTTP and returns its sid. */
    String pollingHandshake() throws Exception {
        String open = server.get("/socket.io/?EIO=4&transport=polling").body();
        assertThat(open).startsWith("0{\"sid\":\"");
        return open.substring(9, open.indexOf('"', 9));
    }

    HttpResponse<String> poll(String sid) throws Exception {
        return server.get("/socket.io/?EIO=4&transport=polling&sid=" + sid);
    }

    @Test
    void pollingGetsTheQueuedMessagesThenTheClosePacketInTheNextPoll() throws Exception {
        server = TestServer.start();
        String sid = pollingHandshake();
        EngineSocket s = server.nextOpened();
        s.send(Message.text("a"));
        s.send(Message.text("b"));
        s.close();
        assertThat(server.awaitClose(sid)).isEqualTo(CloseReason.FORCED_CLOSE);

        // The JS client handles a close packet as soon as it decodes it and its messages a tick
        // later: in one payload, the messages would be lost.
        assertThat(poll(sid).body()).isEqualTo("4a\u001e4b");
        assertThat(server.engine.sessionCount()).isEqualTo(1);
        assertThat(poll(sid).body()).isEqualTo("1");
        await().atMost(BOUND).until(() -> server.engine.sessionCount() == 0);
        assertThat(poll(sid).statusCode()).isEqualTo(400);
    }

    @Test
    void aServerShutdownDeliversWhatWasQueuedBeforeIt() throws Exception {
        server = TestServer.start();
        String sid = pollingHandshake();
        EngineSocket s = server.nextOpened();
        s.send(Message.text("last"));
        server.engine.close();
        assertThat(server.awaitClose(sid)).isEqualTo(CloseReason.SERVER_SHUTTING_DOWN);
        assertThat(poll(sid).body()).isEqualTo("4last");
        assertThat(poll(sid).body()).isEqualTo("1");
    }

    @Test
    void aPostCrossingTheServerCloseIsAcceptedSoTheLastPollStillHappens() throws Exception {
        server = TestServer.start();
        String sid = pollingHandshake();
        EngineSocket s = server.nextOpened();
        s.send(Message.text("bye"));
        s.close();
        server.awaitClose(sid);
        assertThat(server.send("POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "3")
                        .statusCode())
                .isEqualTo(200);
        assertThat(poll(sid).body()).isEqualTo("4bye");
        assertThat(poll(sid).body()).isEqualTo("1");
    }

    @Test
    void aClientUpgradingWhileTheServerClosesGetsTheQueueOverItsWebSocket() throws Exception {
        server = TestServer.start();
        String sid = pollingHandshake();
        EngineSocket s = server.nextOpened();
        s.send(Message.text("bye"));
        s.close();
        server.awaitClose(sid);
        // The probe is answered before the session is consulted, so the client may already have
        // paused polling: refusing the upgrade now would leave it waiting for the queue forever.
        try (RawWebSocket ws =
                new RawWebSocket(server.server.port(), "/socket.io/?EIO=4&transport=websocket&sid=" + sid)) {
            ws.sendFrame(1, "2probe".getBytes(StandardCharsets.UTF_8));
            assertThat(ws.readFrame().text()).isEqualTo("3probe");
            ws.sendFrame(1, "5".getBytes(StandardCharsets.UTF_8));
            assertThat(ws.readFrame().text()).isEqualTo("4bye");
            assertThat(ws.readUntilClosed()).isEqualTo(1000);
        }
        await().atMost(BOUND).until(() -> server.engine.sessionCount() == 0);
    }

    @Test
    void aPollingClientThatNeverPollsAgainIsForgottenWithinTheBound() throws Exception {
        server = TestServer.start();
        String sid = pollingHandshake();
        EngineSocket s = server.nextOpened();
        s.send(Message.text("never fetched"));
        s.close();
        server.awaitClose(sid);
        await().atMost(BOUND).until(() -> server.engine.sessionCount() == 0);
        assertThat(poll(sid).statusCode()).isEqualTo(400);
    }

    @Test
    void aWebSocketPeerThatStopsReadingIsCutOffWithinTheBound() throws Exception {
        // Far from the slow-consumer limits: only the close's own bound may end this connection.
        server = TestServer.start(o -> o.slowConsumerMaxBuffer(1L << 30).slowConsumerTimeout(Duration.ofMinutes(5)));
        try (RawWebSocket ws =
                RawWebSocket.withReceiveBuffer(4096, server.server.port(), "/socket.io/?EIO=4&transport=websocket")) {
            String open = ws.readFrame().text();
            String sid = open.substring(9, open.indexOf('"', 9));
            EngineSocket s = server.nextOpened();
            Message big = Message.text(PAD);
            // 20 MB: the kernel's buffers take a few MB (the send buffer grows up to 4 MB here), the
            // rest stays in the channel's outbound buffer, ahead of the close frame.
            for (int i = 0; i < 5000; i++) {
                s.send(big);
            }
            await().atMost(BOUND).until(() -> server.engine.bufferedBytes() > 8_000_000);
            s.close();
            assertThat(server.awaitClose(sid)).isEqualTo(CloseReason.FORCED_CLOSE);
            // The close frame is stuck behind megabytes the peer does not read: the connection is
            // aborted instead of waiting for it.
            await().atMost(BOUND).until(() -> server.engine.sessionCount() == 0);
            assertThat(ws.readUntilClosed())
                    .as("no close frame, the connection was cut")
                    .isEqualTo(-1);
        }
    }

    @Test
    void aReadingWebSocketPeerGetsEveryQueuedFrameThenTheCloseFrame() throws Exception {
        server = TestServer.start();
        try (RawWebSocket ws = new RawWebSocket(server.server.port(), "/socket.io/?EIO=4&transport=websocket")) {
            ws.readFrame();
            EngineSocket s = server.nextOpened();
            for (int i = 0; i < 100; i++) {
                s.send(Message.text("m" + i));
            }
            s.close();
            for (int i = 0; i < 100; i++) {
                assertThat(ws.readFrame().text()).isEqualTo("4m" + i);
            }
            assertThat(ws.readUntilClosed()).isEqualTo(1000);
        }
    }
}
