package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.adapter.ClusterAdapter;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterAdapter} over an in-process bus: the protocol without any real transport. Every
 * message reaches every adapter, the sender included, as pub/sub does.
 */
class ClusterAdapterTest {

    /** Delivers every message to every adapter of the bus; can go down, can hold a mute member. */
    static final class Bus {
        final List<BusAdapter> members = new CopyOnWriteArrayList<>();
        volatile boolean down;
        volatile boolean publishDown;
        volatile int extraSilentNodes;
    }

    /** A ClusterAdapter whose transport is the bus. */
    static final class BusAdapter extends ClusterAdapter {
        final Bus bus;
        final List<String> handledOn = new CopyOnWriteArrayList<>();

        BusAdapter(Namespace nsp, Bus bus) {
            super(nsp, Duration.ofMillis(500));
            this.bus = bus;
            bus.members.add(this);
        }

        @Override
        protected CompletableFuture<?> doPublish(ClusterMessage message) {
            if (bus.down || bus.publishDown) {
                return CompletableFuture.failedFuture(new IllegalStateException("bus down"));
            }
            bus.members.forEach(m -> m.onMessage(message));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        protected CompletableFuture<?> doPublishResponse(String requesterUid, ClusterResponse response) {
            if (bus.down) {
                return CompletableFuture.failedFuture(new IllegalStateException("bus down"));
            }
            // every node hears every answer, as on a shared response channel
            bus.members.forEach(m -> m.onResponse(response));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        protected CompletableFuture<Integer> fetchServerCount() {
            return bus.down
                    ? CompletableFuture.failedFuture(new IllegalStateException("bus down"))
                    : CompletableFuture.completedFuture(bus.members.size() + bus.extraSilentNodes);
        }

        @Override
        protected void onServerSideEmit(String event, ArrayNode args, Optional<Consumer<JsonNode>> ack) {
            handledOn.add(Thread.currentThread().isVirtual() + ":"
                    + Thread.currentThread().getName());
            super.onServerSideEmit(event, args, ack);
        }
    }

    final Bus bus = new Bus();
    final List<SocketIoServer> servers = new ArrayList<>();

    SocketIoServer node() {
        var server = SocketIoServer.create(SocketIoOptions.builder()
                .adapterFactory(nsp -> new BusAdapter(nsp, bus))
                .build());
        servers.add(server);
        return server;
    }

    static BusAdapter adapter(SocketIoServer server) {
        return (BusAdapter) server.sockets().adapter();
    }

    static FakeEngineSocket client(SocketIoServer server, String... rooms) throws InterruptedException {
        var client = new FakeEngineSocket(server);
        var sid = client.connect("/");
        server.sockets().localSocket(sid).orElseThrow().join(rooms);
        return client;
    }

    static List<String> texts(FakeEngineSocket client) {
        var out = new ArrayList<String>();
        client.sent.forEach(m -> out.add(m.text()));
        return out;
    }

    @AfterEach
    void close() {
        servers.forEach(SocketIoServer::close);
    }

    @Nested
    class Broadcasts {

        @Test
        void reachEveryNodeOnceAndTheSenderIgnoresItsOwnEcho() throws Exception {
            var a = node();
            var b = node();
            var onA = client(a, "r");
            var onB = client(b, "r");

            a.to("r").emit("hi", 1);

            await().atMost(Duration.ofSeconds(5)).until(() -> texts(onB).contains("2[\"hi\",1]"));
            await().pollDelay(Duration.ofMillis(200)).until(() -> true);
            assertThat(texts(onA)).containsOnlyOnce("2[\"hi\",1]");
            assertThat(texts(onB)).containsOnlyOnce("2[\"hi\",1]");
        }

        @Test
        void localOnesAreNotPublished() throws Exception {
            var a = node();
            var b = node();
            var onA = client(a);
            var onB = client(b);

            a.local().emit("here");
            a.emit("everywhere");

            await().atMost(Duration.ofSeconds(5)).until(() -> texts(onB).contains("2[\"everywhere\"]"));
            assertThat(texts(onA)).contains("2[\"here\"]");
            assertThat(texts(onB)).doesNotContain("2[\"here\"]");
        }

        @Test
        void withAcksCountClientsOnEveryNode() throws Exception {
            var a = node();
            var b = node();
            client(a);
            var onB = client(b);

            var replies = a.timeout(Duration.ofSeconds(2)).emitWithAck("q");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> texts(onB).stream().anyMatch(t -> t.matches("2\\d+\\[\"q\"]")));
            var packet = texts(onB).stream()
                    .filter(t -> t.matches("2\\d+\\[\"q\"]"))
                    .findFirst()
                    .orElseThrow();
            onB.deliver("3" + packet.substring(1, packet.indexOf('[')) + "[\"from-b\"]");

            // the client on node a never answers: the operation times out, having counted both clients
            assertThatThrownBy(() -> replies.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(AckTimeoutException.class)
                    .hasMessageContaining("1 of 2");
        }
    }

    @Nested
    class Requests {

        @Test
        void fetchSocketsMergesTheAnswersOfEveryNode() throws Exception {
            var a = node();
            var b = node();
            var c = node();
            client(a, "r");
            client(b, "r");
            client(c);

            var sockets = a.to("r").fetchSockets().get(5, TimeUnit.SECONDS);

            assertThat(sockets).hasSize(2);
        }

        @Test
        void failWithATimeoutNamingTheAnswersThatCame() throws Exception {
            var a = node();
            node();
            bus.extraSilentNodes = 1;

            var fetch = a.fetchSockets();

            assertThatThrownBy(() -> fetch.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SocketIoException.class)
                    .hasMessageContaining("timeout reached while waiting for fetchSockets responses")
                    .hasMessageContaining("only 1 responses received out of 2");
        }

        @Test
        void serverSideEmitWithAckCollectsOneAnswerPerOtherNodeOffTheCallersThread() throws Exception {
            var a = node();
            var b = node();
            var c = node();
            var args = JsonNodeFactory.instance.arrayNode().add("x");

            List<JsonNode> answers = adapter(a)
                    .serverSideEmitWithAck("ping", args, Duration.ofSeconds(2))
                    .get(5, TimeUnit.SECONDS);

            assertThat(answers).hasSize(2);
            assertThat(adapter(a).handledOn).isEmpty();
            for (var other : List.of(b, c)) {
                assertThat(adapter(other).handledOn).singleElement().asString().startsWith("true:herald-cluster/");
            }
        }

        @Test
        void aHandlerAnswersAServerSideEmitAndATimeoutKeepsTheAnswersThatCame() throws Exception {
            var a = node();
            var b = node();
            b.onServerSideEmit("ask", (event, args) -> args.ack("b says " + args.string(0)));
            bus.extraSilentNodes = 1;

            var answers = a.serverSideEmitWithAck("ask", Duration.ofMillis(300), "hi");

            ExecutionException e =
                    Assertions.assertThrows(ExecutionException.class, () -> answers.get(5, TimeUnit.SECONDS));
            assertThat(e.getCause()).isInstanceOf(AckTimeoutException.class);
            AckTimeoutException timeout = (AckTimeoutException) e.getCause();
            assertThat(timeout.responses())
                    .singleElement()
                    .satisfies(r -> assertThat(r.string(0)).isEqualTo("b says hi"));
            assertThat(timeout.missing()).isEqualTo(1);
        }

        @Test
        void aRequestThatCannotBeSentFailsAtOnce() {
            var a = node();
            node();
            bus.publishDown = true;

            var fetch = a.fetchSockets();

            assertThatThrownBy(() -> fetch.get(1, TimeUnit.SECONDS))
                    .cause()
                    .hasMessageContaining("could not send the fetchSockets request");
            assertThat(adapter(a).droppedMessages()).isEqualTo(1);
        }

        @Test
        void fetchSocketsReturnsTheLocalSocketsWhileTheClusterIsUnreachable() throws Exception {
            var a = node();
            node();
            client(a);
            bus.down = true;

            assertThat(a.fetchSockets().get(5, TimeUnit.SECONDS)).hasSize(1);
        }

        @Test
        void allRoomsListsTheRoomsOfEveryNode() throws Exception {
            var a = node();
            var b = node();
            client(a, "alpha");
            client(b, "beta");

            var rooms = adapter(a).allRooms().get(5, TimeUnit.SECONDS);

            assertThat(rooms).contains("alpha", "beta");
        }
    }

    @Nested
    class Outages {

        @Test
        void unpublishedMessagesAreCountedAndLocalDeliveryGoesOn() throws Exception {
            var a = node();
            node();
            var onA = client(a);
            bus.down = true;

            a.emit("during");
            a.socketsJoin("x");

            await().atMost(Duration.ofSeconds(5)).until(() -> texts(onA).contains("2[\"during\"]"));
            assertThat(adapter(a).droppedMessages()).isEqualTo(2);
            assertThat(adapter(a).serverCount()).isEqualTo(1);

            bus.down = false;
            a.emit("after");
            assertThat(adapter(a).droppedMessages()).isEqualTo(2);
        }

        @Test
        void closingFailsTheRequestsStillWaiting() throws Exception {
            var a = node();
            bus.extraSilentNodes = 1;
            var fetch = adapter(a)
                    .fetchSockets(new BroadcastOptions(
                            Set.of(), Set.of(), BroadcastFlags.DEFAULT.withTimeout(Duration.ofSeconds(30))));

            adapter(a).close();

            assertThatThrownBy(() -> fetch.get(5, TimeUnit.SECONDS)).cause().hasMessageContaining("closed");
        }
    }
}
