package dev.herald.redis;

import static dev.herald.redis.NodePeer.array;
import static dev.herald.redis.NodePeer.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.SocketIoServer;
import dev.herald.testing.SocketIoTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole stack: three Herald nodes (each a {@link NettyServer} with its own {@link
 * RedisAdapter}) and a Node socket.io 4.8 server with {@code @socket.io/redis-adapter} on one
 * Redis, with real npm {@code socket.io-client} sockets on every node, over WebSocket and polling.
 */
class ClusterEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(15);

    /** One Herald node on a real port. */
    record HeraldNode(SocketIoServer io, NettyServer http) implements AutoCloseable {
        String url() {
            return "http://127.0.0.1:" + http.port();
        }

        @Override
        public void close() {
            http.close();
            io.close();
        }
    }

    static RedisServer redis;
    static NodePeer node;
    static final List<HeraldNode> herald = new ArrayList<>();
    static final List<String> clients = new ArrayList<>();
    static int counter;

    @BeforeAll
    static void startCluster() {
        redis = RedisServer.launch();
        for (int i = 0; i < 3; i++) {
            var io = RedisAdapterTest.node(redis.uri());
            var http = NettyServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .engine(io.engine())
                    .serveClient(false)
                    .build()
                    .start();
            herald.add(new HeraldNode(io, http));
        }
        node = NodePeer.server(redis.uri());
        await().atMost(WAIT)
                .until(() ->
                        herald.stream().allMatch(h -> h.io().sockets().adapter().serverCount() == 4));
    }

    @AfterAll
    static void stopCluster() {
        node.close();
        herald.forEach(HeraldNode::close);
        redis.close();
    }

    @AfterEach
    void closeClients() {
        node.call(command("closeClients"));
        clients.clear();
    }

    /** A client on Herald node {@code index} (3 = the Node server); alternates the transports. */
    String client(int index, String... rooms) {
        var name = "c" + (++counter);
        var auth = JSON.createObjectNode();
        auth.put("name", name);
        auth.set("rooms", array((Object[]) rooms));
        auth.putObject("data").put("name", name);
        var url = index < 3 ? herald.get(index).url() : "http://127.0.0.1:" + node.port();
        node.connectClient(name, url, auth, counter % 2 == 0 ? "polling" : "websocket");
        clients.add(name);
        return name;
    }

    /** Waits until the rooms of every client are visible cluster-wide. */
    void awaitMembers(String room, int count) {
        await().atMost(WAIT)
                .until(() -> herald.get(0)
                                .io()
                                .to(room)
                                .fetchSockets()
                                .get(5, TimeUnit.SECONDS)
                                .size()
                        == count);
    }

    /** Emits a marker to every client from node 0 and waits for it everywhere. */
    void flush() {
        var marker = "flush-" + (++counter);
        herald.get(0).io().emit(marker);
        for (var c : clients) {
            await().atMost(WAIT).until(() -> !node.received(c, marker).isEmpty());
        }
    }

    @Test
    void aRoomBroadcastReachesEveryMemberOnEveryNodeExactlyOnce() {
        var members = List.of(client(0, "r"), client(1, "r"), client(2, "r"), client(3, "r"), client(1, "r", "x"));
        var outsiders = List.of(client(0), client(2, "x"), client(3));
        awaitMembers("r", 5);

        herald.get(1).io().to("r").emit("hello", "world", new byte[] {7, 8});
        flush();

        for (var m : members) {
            assertThat(node.received(m, "hello")).as(m).hasSize(1);
            var args = NodePeer.fromWire(node.received(m, "hello").getFirst().get("args"));
            assertThat(args.get(0).asText()).isEqualTo("world");
            assertThat(args.get(1).isBinary()).as("binary arrives as binary").isTrue();
        }
        outsiders.forEach(o -> assertThat(node.received(o, "hello")).as(o).isEmpty());
    }

    @Test
    void exceptIsRespectedAcrossTheCluster() {
        var kept = List.of(client(0, "room"), client(3, "room"));
        var skipped = List.of(client(1, "room", "muted"), client(3, "room", "muted"));
        awaitMembers("room", 4);

        herald.get(2).io().to("room").except("muted").emit("news");
        flush();

        kept.forEach(k -> assertThat(node.received(k, "news")).as(k).hasSize(1));
        skipped.forEach(s -> assertThat(node.received(s, "news")).as(s).isEmpty());
    }

    @Test
    void bothEmittersReachClientsOnHeraldNodes() {
        var a = client(0, "task");
        var b = client(2, "task");
        var n = client(3, "task");
        awaitMembers("task", 3);

        try (var emitter = RedisEmitter.create(redis.uri())) {
            emitter.to("task").emit("progress", 10);
        }
        try (var nodeEmitter = NodePeer.emitter(redis.uri())) {
            var emit = command("emit");
            emit.put("event", "progress");
            emit.set("args", array(20));
            emit.set("rooms", array("task"));
            nodeEmitter.call(emit);
        }

        for (var c : List.of(a, b, n)) {
            await().atMost(WAIT).until(() -> node.received(c, "progress").size() == 2);
        }
    }

    @Test
    void fetchSocketsJoinAndDisconnectWorkOnRealClientsEverywhere() throws Exception {
        var a = client(0, "base");
        var b = client(1, "base");
        var n = client(3, "base");
        awaitMembers("base", 3);

        var sockets = herald.get(2).io().to("base").fetchSockets().get(5, TimeUnit.SECONDS);
        assertThat(sockets)
                .extracting(s -> s.handshake().query("EIO").orElse("?"))
                .containsOnly("4");
        assertThat(sockets)
                .extracting(s -> String.valueOf(s.data().get("name")))
                .contains(a, b);

        herald.get(2).io().to("base").socketsJoin("joined");
        awaitMembers("joined", 3);
        herald.get(0).io().to("joined").emit("in-joined");
        for (var c : List.of(a, b, n)) {
            await().atMost(WAIT).until(() -> !node.received(c, "in-joined").isEmpty());
        }

        herald.get(1).io().to("joined").disconnectSockets(true);
        for (var c : List.of(a, b, n)) {
            node.awaitLine(l -> l.path("ev").asText().equals("disconnected")
                    && l.path("client").asText().equals(c));
        }
        clients.removeAll(List.of(a, b, n));
    }

    @Test
    void broadcastAcksCollectEveryClientOnEveryNode() throws Exception {
        client(0, "ack");
        client(1, "ack");
        client(2, "ack");
        client(3, "ack");
        awaitMembers("ack", 4);

        List<EventArgs> replies = herald.get(0)
                .io()
                .to("ack")
                .timeout(Duration.ofSeconds(5))
                .emitWithAck("poll")
                .get(10, TimeUnit.SECONDS);

        assertThat(replies).extracting(r -> r.string(0)).containsExactlyInAnyOrderElementsOf(clients);
    }

    @Test
    void heraldsOwnTestClientsOnEveryNodeGetBroadcastsFromTheNodeServer() throws Exception {
        var auth = JSON.createObjectNode();
        auth.set("rooms", array("java"));
        var outsiderAuth = JSON.createObjectNode();
        outsiderAuth.put("name", "outsider");
        try (var ws = SocketIoTestClient.builder(herald.get(0).http().port())
                        .transport("websocket")
                        .auth(auth)
                        .connect();
                var polling = SocketIoTestClient.builder(herald.get(2).http().port())
                        .transport("polling")
                        .auth(auth)
                        .connect();
                var outsider = SocketIoTestClient.builder(herald.get(1).http().port())
                        .auth(outsiderAuth)
                        .connect()) {
            awaitMembers("java", 2);

            var emit = command("emit");
            emit.put("event", "from-node");
            emit.set("args", array("to java"));
            emit.set("rooms", array("java"));
            node.call(emit);

            assertThat(ws.nextEvent("from-node", WAIT).arg(0).asText()).isEqualTo("to java");
            assertThat(polling.nextEvent("from-node", WAIT).arg(0).asText()).isEqualTo("to java");
            outsider.expectNoEvent(Duration.ofMillis(500));
        }
    }

    @Test
    void theNodeServerSeesHeraldSocketsAndReachesThem() {
        var h = client(1, "mixed");
        client(3, "mixed");
        awaitMembers("mixed", 2);

        var fetch = command("fetchSockets");
        fetch.set("rooms", array("mixed"));
        JsonNode sockets = node.call(fetch).get("sockets");
        assertThat(sockets).hasSize(2);

        var emit = command("emit");
        emit.put("event", "from-node");
        emit.set("rooms", array("mixed"));
        node.call(emit);
        await().atMost(WAIT).until(() -> !node.received(h, "from-node").isEmpty());
    }
}
