package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.Message;
import dev.herald.testing.EngineIoTestClient;
import dev.herald.testing.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The slow-consumer policy: a client that stops reading while a broadcast floods its room has a
 * bounded buffer, loses its volatile messages, and is disconnected with {@code slow consumer};
 * every other client receives everything, in order.
 */
class SlowConsumerTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final int LOW = 16 * 1024;
    static final int HIGH = 64 * 1024;
    static final int MAX = 512 * 1024;
    static final String PAD = "x".repeat(4000);

    TestServer server;
    EngineIoTestClient bystanderPolling;
    EngineIoTestClient bystanderWs;
    final List<AutoCloseable> stalled = new ArrayList<>();
    int sent;

    void start(UnaryOperator<EngineIoOptions.Builder> options) {
        server = TestServer.start(o -> options.apply(o.writeBufferWaterMark(LOW, HIGH)));
        bystanderPolling = EngineIoTestClient.polling(server.endpoint());
        bystanderWs = EngineIoTestClient.websocket(server.endpoint());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (EngineIoTestClient c : new EngineIoTestClient[] {bystanderPolling, bystanderWs}) {
                assertThat(server.closeReasons).doesNotContainKey(c.sid());
                c.sendMessage("still here");
                assertThat(c.nextMessage(WAIT).text()).isEqualTo("still here");
            }
        } finally {
            for (AutoCloseable c : stalled) {
                c.close();
            }
            bystanderPolling.close();
            bystanderWs.close();
            server.close();
        }
    }

    /** Opens a session whose client never reads again, over the given transport; returns its sid. */
    String stalledClient(String transport) throws Exception {
        if (transport.equals("websocket")) {
            RawWebSocket ws =
                    RawWebSocket.withReceiveBuffer(4096, server.server.port(), "/socket.io/?EIO=4&transport=websocket");
            stalled.add(ws);
            String open = ws.readFrame().text();
            assertThat(open).startsWith("0{\"sid\":\"");
            return open.substring(9, open.indexOf('"', 9));
        }
        EngineIoTestClient c = EngineIoTestClient.builder(server.endpoint())
                .transport("polling")
                .autoPoll(false)
                .connect();
        stalled.add(c::abort);
        return c.sid();
    }

    EngineSocket session(String sid) {
        return server.engine.session(sid).orElseThrow();
    }

    /**
     * Sends one batch of 4 KB messages (volatile ones: a few bytes) to every given session (the same Message instance, as a
     * broadcast does), then checks both bystanders received the batch in order.
     */
    void broadcastBatch(List<EngineSocket> room, int count, boolean volatileSend) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Volatile ones are small: a burst of them must not push a bystander over the mark.
            String text = (sent++) + (volatileSend ? "v" : PAD);
            texts.add(text);
            Message m = Message.text(text);
            for (EngineSocket s : room) {
                if (volatileSend) {
                    s.sendVolatile(m);
                } else {
                    s.send(m);
                }
            }
        }
        for (EngineIoTestClient c : new EngineIoTestClient[] {bystanderPolling, bystanderWs}) {
            for (String text : texts) {
                assertThat(c.nextMessage(WAIT).text()).isEqualTo(text);
            }
        }
    }

    /**
     * Bytes buffered once the loops have flushed what was just written: frames written in one loop
     * pass are flushed together a moment later, and only what the kernel then refuses stays. Settled
     * means two readings a few ms apart agree.
     */
    long settledBufferedBytes() {
        long[] last = {-1};
        await().atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    long now = server.engine.bufferedBytes();
                    boolean settled = now == last[0];
                    last[0] = now;
                    return settled;
                });
        return last[0];
    }

    List<EngineSocket> roomWith(String stalledSid) {
        return List.of(session(stalledSid), session(bystanderPolling.sid()), session(bystanderWs.sid()));
    }

    void floodsUntilTheStalledClientIsCutOffAtTheHardBound(String transport) throws Exception {
        start(o -> o.slowConsumerMaxBuffer(MAX).slowConsumerTimeout(Duration.ofSeconds(30)));
        String sid = stalledClient(transport);
        List<EngineSocket> room = roomWith(sid);
        long maxBuffered = 0;
        int batches = 0;
        // 100 batches of 50 x 4 KB = 20 MB: 40 times the bound the stalled client may hold.
        while (!server.closeReasons.containsKey(sid) && batches++ < 100) {
            broadcastBatch(room, 50, false);
            maxBuffered = Math.max(maxBuffered, server.engine.bufferedBytes());
        }
        assertThat(server.awaitClose(sid)).isEqualTo(CloseReason.SLOW_CONSUMER);
        // The stalled client's share stays under the hard bound plus one batch; the bystanders
        // drain theirs after every batch.
        assertThat(maxBuffered).isLessThan(MAX + 50L * 4100 * 3);
        await().atMost(WAIT).until(() -> server.engine.bufferedBytes() < HIGH);
    }

    @Test
    void aWebSocketClientThatStopsReadingIsCutOffAndOthersReceiveEverything() throws Exception {
        floodsUntilTheStalledClientIsCutOffAtTheHardBound("websocket");
    }

    @Test
    void aPollingClientThatStopsPollingIsCutOffAndOthersReceiveEverything() throws Exception {
        floodsUntilTheStalledClientIsCutOffAtTheHardBound("polling");
    }

    void staysOverTheMarkAndIsClosedAfterSlowConsumerTimeout(String transport) throws Exception {
        start(o -> o.slowConsumerMaxBuffer(64L << 20).slowConsumerTimeout(Duration.ofMillis(500)));
        String sid = stalledClient(transport);
        List<EngineSocket> room = roomWith(sid);
        AtomicLong overSince = new AtomicLong();
        int batches = 0;
        while (settledBufferedBytes() <= HIGH && batches++ < 500) {
            broadcastBatch(room, 10, false);
        }
        overSince.set(System.nanoTime());
        assertThat(server.engine.bufferedBytes()).isGreaterThan(HIGH);
        assertThat(server.awaitClose(sid)).isEqualTo(CloseReason.SLOW_CONSUMER);
        long after =
                Duration.ofNanos(server.closeNanos.get(sid) - overSince.get()).toMillis();
        assertThat(after).isLessThan(5000);
    }

    @Test
    void aWebSocketClientOverTheMarkIsClosedAfterSlowConsumerTimeout() throws Exception {
        staysOverTheMarkAndIsClosedAfterSlowConsumerTimeout("websocket");
    }

    @Test
    void aPollingClientOverTheMarkIsClosedAfterSlowConsumerTimeout() throws Exception {
        staysOverTheMarkAndIsClosedAfterSlowConsumerTimeout("polling");
    }

    void volatileMessagesToAClientOverTheMarkAreDroppedAndCounted(String transport) throws Exception {
        start(o -> o.slowConsumerMaxBuffer(64L << 20).slowConsumerTimeout(Duration.ofSeconds(30)));
        String sid = stalledClient(transport);
        List<EngineSocket> room = roomWith(sid);
        // Under the mark, volatile messages are sent like any other.
        broadcastBatch(room, 5, true);
        assertThat(server.engine.droppedMessages()).isZero();
        int batches = 0;
        while (settledBufferedBytes() <= HIGH && batches++ < 500) {
            broadcastBatch(room, 10, false);
        }
        broadcastBatch(room, 100, true);
        // The bystanders got all 100 (checked in broadcastBatch); the stalled client none.
        assertThat(server.engine.droppedMessages()).isEqualTo(100);
        assertThat(server.closeReasons).doesNotContainKey(sid);
    }

    @Test
    void volatileMessagesToAStalledWebSocketClientAreDroppedAndCounted() throws Exception {
        volatileMessagesToAClientOverTheMarkAreDroppedAndCounted("websocket");
    }

    @Test
    void volatileMessagesToAStalledPollingClientAreDroppedAndCounted() throws Exception {
        volatileMessagesToAClientOverTheMarkAreDroppedAndCounted("polling");
    }
}
