package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.netty.NettyServer;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Socket.IO limits ({@link SocketIoOptions}) over both transports: a violation ends only the
 * offending session (or, for acks, fails only the new ack), and a well-behaved client on the same
 * server keeps working.
 */
class SocketIoLimitsTest {

    private static final Duration T = Duration.ofSeconds(5);

    private SocketIoServer io;
    private NettyServer netty;
    private SocketIoTestClient bystander;
    private final List<Throwable> handlerErrors = new CopyOnWriteArrayList<>();

    private void start(SocketIoOptions.Builder options, String transport) {
        io = SocketIoServer.create(options.build());
        io.onCall("echo", (s, a) -> a.node(0));
        io.onCall("sizes", (s, a) -> a.get(0, byte[].class).length + a.get(1, byte[].class).length);
        io.onError((s, e, t) -> handlerErrors.add(t));
        netty = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(io.engine())
                .serveClient(false)
                .build()
                .start();
        bystander = client(transport).connect();
    }

    private SocketIoTestClient.Builder client(String transport) {
        return SocketIoTestClient.builder(netty.port()).transport(transport);
    }

    @AfterEach
    void stop() {
        if (bystander != null) {
            bystander.close();
        }
        if (netty != null) {
            netty.close();
        }
        if (io != null) {
            io.close();
        }
    }

    private void bystanderIsUndisturbed() {
        assertThat(bystander.call("echo", T, "still here").get(0).asText()).isEqualTo("still here");
        assertThat(bystander.isDisconnected()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void moreAttachmentsThanMaxAttachmentsCloseOnlyThatSession(String transport) {
        start(SocketIoOptions.builder().maxAttachments(2), transport);
        try (SocketIoTestClient offender = client(transport).connect()) {
            offender.sendRaw("53-[\"sizes\",{\"_placeholder\":true,\"num\":0}]");
            offender.awaitDisconnect(T);
        }
        bystanderIsUndisturbed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void attachmentsOverMaxAttachmentBytesCloseOnlyThatSession(String transport) {
        start(SocketIoOptions.builder().maxAttachmentBytes(1000), transport);
        try (SocketIoTestClient fine = client(transport).connect()) {
            assertThat(fine.call("sizes", T, new byte[500], new byte[500])
                            .get(0)
                            .asInt())
                    .isEqualTo(1000);
        }
        try (SocketIoTestClient offender = client(transport).connect()) {
            offender.emit("sizes", new byte[600], new byte[401]);
            offender.awaitDisconnect(T);
        }
        bystanderIsUndisturbed();
        assertThat(handlerErrors).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void namespaceNameOverMaxNamespaceLengthClosesOnlyThatSession(String transport) {
        start(SocketIoOptions.builder().maxNamespaceLength(32), transport);
        List<String> matched = new CopyOnWriteArrayList<>();
        io.of((name, auth) -> matched.add(name));
        try (SocketIoTestClient fine =
                client(transport).namespace("/" + "n".repeat(31)).connect()) {
            assertThat(fine.isDisconnected()).isFalse();
        }
        try (SocketIoTestClient offender = client(transport).connect()) {
            offender.sendRaw("0/" + "n".repeat(32) + ",");
            offender.awaitDisconnect(T);
        }
        // The long name never reached the dynamic-namespace matcher.
        assertThat(matched).containsExactly("/" + "n".repeat(31));
        bystanderIsUndisturbed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void emitWithAckPastMaxPendingAcksFailsTheNewFutureAndSendsNothing(String transport) throws Exception {
        start(SocketIoOptions.builder().maxPendingAcks(3), transport);
        CompletableFuture<Socket> connected = new CompletableFuture<>();
        io.of("/acks").onConnect(connected::complete);
        try (SocketIoTestClient silent = client(transport).namespace("/acks").connect()) {
            Socket socket = connected.get(T.toMillis(), TimeUnit.MILLISECONDS);
            List<CompletableFuture<EventArgs>> first =
                    List.of(socket.emitWithAck("q", 1), socket.emitWithAck("q", 2), socket.emitWithAck("q", 3));
            CompletableFuture<EventArgs> fourth = socket.emitWithAck("q", 4);
            assertThatThrownBy(() -> fourth.get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SocketIoException.class)
                    .hasMessageContaining("too many pending acks");
            ReceivedEvent one = silent.nextEvent("q", T);
            silent.nextEvent("q", T);
            silent.nextEvent("q", T);
            silent.expectNoEvent(Duration.ofMillis(300));
            assertThat(first).noneMatch(CompletableFuture::isDone);
            assertThat(socket.pendingAcks()).isEqualTo(3);

            // One answer makes room again; the session was never closed.
            silent.ack(one, "ok");
            assertThat(first.get(0)
                            .get(T.toMillis(), TimeUnit.MILLISECONDS)
                            .node(0)
                            .asText())
                    .isEqualTo("ok");
            CompletableFuture<EventArgs> fifth = socket.emitWithAck("q", 5);
            assertThat(silent.nextEvent("q", T).args().get(0).asInt()).isEqualTo(5);
            assertThat(fifth).isNotDone();
            assertThat(silent.isDisconnected()).isFalse();
        }
        bystanderIsUndisturbed();
    }
}
