package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Socket.IO layer's timeouts on virtual time: each fires when its duration has passed, not a
 * nanosecond before, whatever the machine is doing. (The engine's own timers are tested the same
 * way in herald-engineio's EngineSessionTest.)
 */
class SocketIoTimersTest {

    private final ManualScheduler timers = new ManualScheduler();
    private final SocketIoServer io = SocketIoServer.create(
            SocketIoOptions.builder()
                    .connectTimeout(Duration.ofSeconds(45))
                    .ackTimeout(Duration.ofSeconds(10))
                    .build(),
            timers);

    @AfterEach
    void stop() {
        io.close();
    }

    @Test
    void aConnectionThatJoinsNoNamespaceIsClosedAtTheConnectTimeoutExactly() {
        FakeEngineSocket c = new FakeEngineSocket(io);
        timers.advance(Duration.ofSeconds(45).minusNanos(1));
        assertThat(c.isOpen()).isTrue();
        timers.advance(Duration.ofNanos(1));
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void aConnectionThatJoinedANamespaceOutlivesTheConnectTimeout() throws Exception {
        FakeEngineSocket c = new FakeEngineSocket(io);
        c.connect("/");
        timers.advance(Duration.ofHours(1));
        assertThat(c.isOpen()).isTrue();
        assertThat(timers.pending()).as("the connect timer was cancelled").isZero();
    }

    @Test
    void anEmitWithAckFailsAtItsTimeoutAndNotBefore() throws Exception {
        FakeEngineSocket c = new FakeEngineSocket(io);
        Socket socket = io.sockets().sockets().get(c.connect("/"));
        CompletableFuture<EventArgs> reply =
                socket.timeout(Duration.ofSeconds(3)).emitWithAck("ask");
        assertThat(c.nextText()).matches("2\\d+\\[\"ask\"]");

        timers.advance(Duration.ofMillis(2999));
        assertThat(reply).isNotDone();
        assertThat(socket.pendingAcks()).isEqualTo(1);
        timers.advance(Duration.ofMillis(1));
        // The failure reaches the caller on a virtual thread, never on the timer's.
        await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
        assertThat(reply).isCompletedExceptionally();
        assertThat(socket.pendingAcks()).isZero();
    }

    @Test
    void theServerWideAckTimeoutAppliesWhenTheEmitNamesNone() throws Exception {
        FakeEngineSocket c = new FakeEngineSocket(io);
        Socket socket = io.sockets().sockets().get(c.connect("/"));
        CompletableFuture<EventArgs> reply = socket.emitWithAck("ask");
        c.nextText();
        timers.advance(Duration.ofSeconds(10).minusMillis(1));
        assertThat(reply).isNotDone();
        timers.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
        assertThat(reply).isCompletedExceptionally();
    }

    @Test
    void anAckThatArrivesBeforeTheTimeoutWinsAndCancelsTheTimer() throws Exception {
        FakeEngineSocket c = new FakeEngineSocket(io);
        Socket socket = io.sockets().sockets().get(c.connect("/"));
        CompletableFuture<EventArgs> reply =
                socket.timeout(Duration.ofSeconds(3)).emitWithAck("ask");
        String request = c.nextText();
        String ackId = request.replaceAll("^2(\\d+)\\[.*", "$1");
        timers.advance(Duration.ofSeconds(2));
        c.deliver("3" + ackId + "[\"yes\"]");
        assertThat(reply.get().node(0).asText()).isEqualTo("yes");
        timers.advance(Duration.ofSeconds(10));
        assertThat(reply.isCompletedExceptionally()).isFalse();
    }

    @Test
    void aBroadcastWithAckEndsAtItsTimeoutAndNotBefore() throws Exception {
        // (What a timed-out broadcast still gives from the sockets that did answer is
        // AckTimeoutTest's: an answer reaches the collector on a virtual thread, outside virtual time.)
        FakeEngineSocket silent = new FakeEngineSocket(io);
        silent.connect("/");
        CompletableFuture<List<EventArgs>> replies =
                io.timeout(Duration.ofSeconds(5)).emitWithAck("ask");
        silent.nextText();

        timers.advance(Duration.ofMillis(4999));
        assertThat(replies).isNotDone();
        timers.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(5)).until(replies::isDone);
        ExecutionException failure = assertThrows(ExecutionException.class, replies::get);
        AckTimeoutException timeout = (AckTimeoutException) failure.getCause();
        assertThat(timeout.responses()).isEmpty();
        assertThat(timeout.missing()).isEqualTo(1);
    }
}
