package dev.herald.socketio.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.RemoteSocket;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.adapter.InMemoryAdapter;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.parser.Packet;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers joined by an in-process "cluster" adapter written only against the public SPI (this
 * test lives outside the API package on purpose): what a Redis adapter needs must be reachable.
 */
class TwoNodeAdapterTest {

    private static final Duration T = Duration.ofSeconds(5);

    /** The message bus: every node's adapter for one namespace name. */
    static final class Bus {
        final Map<String, List<LinkAdapter>> byNsp = new ConcurrentHashMap<>();

        List<LinkAdapter> others(LinkAdapter self) {
            List<LinkAdapter> out = new ArrayList<>(byNsp.getOrDefault(self.nspName, List.of()));
            out.remove(self);
            return out;
        }
    }

    /** A minimal cluster adapter: local part through super, remote part through the bus. */
    static final class LinkAdapter extends InMemoryAdapter {
        private final Bus bus;
        final String nspName;

        LinkAdapter(Namespace nsp, Bus bus) {
            super(nsp);
            this.bus = bus;
            this.nspName = nsp.name();
        }

        @Override
        public void init() {
            bus.byNsp
                    .computeIfAbsent(namespace().name(), k -> new CopyOnWriteArrayList<>())
                    .add(this);
        }

        @Override
        public int serverCount() {
            return bus.byNsp.get(namespace().name()).size();
        }

        @Override
        public void broadcast(Packet packet, BroadcastOptions opts) {
            if (!opts.flags().local()) {
                bus.others(this).forEach(n -> n.localBroadcast(packet, opts));
            }
            super.broadcast(packet, opts);
        }

        void localBroadcast(Packet packet, BroadcastOptions opts) {
            super.broadcast(packet, opts);
        }

        @Override
        public void broadcastWithAck(Packet packet, BroadcastOptions opts, IntConsumer count, Consumer<ArrayNode> ack) {
            if (!opts.flags().local()) {
                bus.others(this).forEach(n -> n.localBroadcastWithAck(packet, opts, count, ack));
            }
            super.broadcastWithAck(packet, opts, count, ack);
        }

        void localBroadcastWithAck(Packet packet, BroadcastOptions opts, IntConsumer count, Consumer<ArrayNode> ack) {
            super.broadcastWithAck(packet, opts, count, ack);
        }

        @Override
        public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
            List<SocketDetails> all = new ArrayList<>(super.fetchSockets(opts).join());
            if (!opts.flags().local()) {
                bus.others(this).forEach(n -> all.addAll(n.localFetch(opts)));
            }
            return CompletableFuture.completedFuture(all);
        }

        List<SocketDetails> localFetch(BroadcastOptions opts) {
            return super.fetchSockets(opts).join();
        }

        @Override
        public void addSockets(BroadcastOptions opts, Set<String> rooms) {
            bus.others(this).forEach(n -> n.apply(opts, s -> s.join(rooms)));
            super.addSockets(opts, rooms);
        }

        @Override
        public void serverSideEmit(String event, ArrayNode args) {
            bus.others(this).forEach(n -> n.onServerSideEmit(event, args, Optional.empty()));
        }

        @Override
        public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(String event, ArrayNode args, Duration timeout) {
            List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
            for (LinkAdapter n : bus.others(this)) {
                CompletableFuture<JsonNode> f = new CompletableFuture<>();
                answers.add(f);
                n.onServerSideEmit(event, args, Optional.of(f::complete));
            }
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(
                            v -> answers.stream().map(CompletableFuture::join).toList());
        }
    }

    private final Bus bus = new Bus();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private record Node(SocketIoServer io, int port) {}

    private Node node() {
        SocketIoServer io = SocketIoServer.create(SocketIoOptions.builder()
                .adapterFactory(nsp -> new LinkAdapter(nsp, bus))
                .build());
        NettyServer netty = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(io.engine())
                .serveClient(false)
                .build()
                .start();
        closeables.add(netty);
        closeables.add(io);
        return new Node(io, netty.port());
    }

    private SocketIoTestClient client(Node n) {
        SocketIoTestClient c =
                SocketIoTestClient.builder(n.port()).transport("websocket").connect();
        closeables.add(0, c);
        return c;
    }

    @Test
    void broadcastsRoomsAcksAndFetchReachSocketsOnBothNodes() throws Exception {
        Node one = node();
        Node two = node();
        two.io().onCall("join", (s, a) -> {
            s.join(a.string(0));
            return "ok";
        });
        SocketIoTestClient a = client(one);
        SocketIoTestClient b = client(two);
        assertThat(b.call("join", T, "blue").get(0).asText()).isEqualTo("ok");

        one.io().emit("everyone", 1);
        assertThat(a.nextEvent("everyone", T).arg(0).asInt()).isEqualTo(1);
        assertThat(b.nextEvent("everyone", T).arg(0).asInt()).isEqualTo(1);

        one.io().to("blue").emit("blue-only");
        assertThat(b.nextEvent("blue-only", T)).isNotNull();
        a.expectNoEvent(Duration.ofMillis(200));

        one.io().local().emit("local-only");
        a.nextEvent("local-only", T);
        b.expectNoEvent(Duration.ofMillis(200));

        CompletableFuture<List<EventArgs>> acks = one.io().timeout(T).emitWithAck("vote");
        a.ack(a.nextEvent("vote", T), "a");
        b.ack(b.nextEvent("vote", T), "b");
        assertThat(acks.get(5, TimeUnit.SECONDS)).extracting(x -> x.string(0)).containsExactlyInAnyOrder("a", "b");

        List<RemoteSocket> all = one.io().fetchSockets().get(5, TimeUnit.SECONDS);
        assertThat(all).extracting(RemoteSocket::id).containsExactlyInAnyOrder(a.sid(), b.sid());
        RemoteSocket remoteB =
                all.stream().filter(r -> r.id().equals(b.sid())).findFirst().orElseThrow();
        assertThat(remoteB.rooms()).contains("blue");
        remoteB.emit("direct", "hi");
        ReceivedEvent direct = b.nextEvent("direct", T);
        assertThat(direct.arg(0).asText()).isEqualTo("hi");

        one.io().socketsJoin("green");
        await().until(() -> two.io().sockets().sockets().get(b.sid()).rooms().contains("green"));
    }

    @Test
    void serverSideEmitReachesTheOtherNodeAndCollectsItsAnswer() throws Exception {
        Node one = node();
        Node two = node();
        List<String> got = new CopyOnWriteArrayList<>();
        two.io().sockets().onServerSideEmit("ping-node", (event, args) -> got.add(event + ":" + args.string(0)));
        one.io().sockets().serverSideEmit("ping-node", "x");
        await().until(() -> got.size() == 1);
        assertThat(got).containsExactly("ping-node:x");
        List<JsonNode> answers =
                one.io().sockets().serverSideEmitWithAck("ping-node", T, "y").get(5, TimeUnit.SECONDS);
        assertThat(answers).hasSize(1);
        assertThat(JsonNodeFactory.instance).isNotNull();
    }
}
