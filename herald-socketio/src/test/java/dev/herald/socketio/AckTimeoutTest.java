package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The server-wide ack timeout, and what a broadcast's timed-out emitWithAck still gives the caller. */
class AckTimeoutTest {

    private final SocketIoServer io = SocketIoServer.create(
            SocketIoOptions.builder().ackTimeout(Duration.ofMillis(200)).build());

    @AfterEach
    void stop() {
        io.close();
    }

    private static AckTimeoutException timeoutOf(CompletableFuture<?> future) {
        ExecutionException e = Assertions.assertThrows(ExecutionException.class, future::get);
        assertThat(e.getCause()).isInstanceOf(AckTimeoutException.class);
        return (AckTimeoutException) e.getCause();
    }

    @Test
    void aSocketsEmitWithAckWithoutTimeoutUsesTheServerDefault() throws Exception {
        FakeEngineSocket c = new FakeEngineSocket(io);
        String sid = c.connect("/");
        CompletableFuture<EventArgs> reply = io.sockets().sockets().get(sid).emitWithAck("ask");
        assertThat(c.nextText()).matches("2\\d+\\[\"ask\"]");
        assertThat(timeoutOf(reply)).hasMessage("operation has timed out");
    }

    @Test
    void aTimedOutBroadcastStillGivesTheRepliesThatCameAndCountsTheRest() throws Exception {
        FakeEngineSocket answers = new FakeEngineSocket(io);
        answers.connect("/");
        FakeEngineSocket silent = new FakeEngineSocket(io);
        String silentId = silent.connect("/");
        CompletableFuture<List<EventArgs>> replies = io.emitWithAck("ask", 1);
        String request = answers.nextText();
        String ackId = request.replaceAll("^2(\\d+)\\[.*", "$1");
        answers.deliver("3" + ackId + "[\"yes\"]");
        assertThat(silent.nextText()).isEqualTo(request);

        AckTimeoutException timeout = timeoutOf(replies);
        assertThat(timeout.responses()).hasSize(1);
        assertThat(timeout.responses().get(0).node(0).asText()).isEqualTo("yes");
        assertThat(timeout.missing()).isEqualTo(1);
        assertThat(timeout.missingSocketIds()).containsExactly(silentId);
        // The server-wide timeout also ends the silent socket's wait for its ack.
        Socket silentSocket = io.sockets().sockets().get(silentId);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> silentSocket.pendingAcks() == 0);
    }

    @Test
    void withoutAnyTimeoutABroadcastWithAckIsRefused() {
        SocketIoServer plain = SocketIoServer.create();
        try {
            assertThatThrownBy(() -> plain.emitWithAck("ask"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ackTimeout");
        } finally {
            plain.close();
        }
    }
}
