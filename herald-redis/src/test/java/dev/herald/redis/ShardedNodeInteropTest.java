package dev.herald.redis;

import static dev.herald.redis.NodeInteropTest.isEvent;
import static dev.herald.redis.NodePeer.array;
import static dev.herald.redis.NodePeer.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.RemoteSocket;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Herald nodes with {@link ShardedRedisAdapter} and one Node socket.io 4.8 server with
 * {@code createShardedAdapter} of {@code @socket.io/redis-adapter} 8.3 on one real 3-master Redis
 * Cluster, all in the dynamic subscription mode: every cluster operation, in both directions.
 */
class ShardedNodeInteropTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    /** A Herald node and its adapter factory (for its counters). */
    record Node(SocketIoServer server, ShardedRedisAdapter.Factory factory) {
        static Node start(String clusterUri, SubscriptionMode mode) {
            return start(clusterUri, mode, "socket.io");
        }

        static Node start(String clusterUri, SubscriptionMode mode, String channelPrefix) {
            var factory = ShardedRedisAdapter.factory(ShardedRedisAdapterOptions.builder(clusterUri)
                    .subscriptionMode(mode)
                    .channelPrefix(channelPrefix)
                    .requestsTimeout(Duration.ofSeconds(3))
                    .topologyRefreshPeriod(Duration.ofSeconds(1))
                    .build());
            return new Node(RedisAdapterTest.node(factory), factory);
        }
    }

    static RedisCluster cluster;
    static NodePeer node;
    static String nodeUrl;
    static final List<Node> herald = new ArrayList<>();

    final List<FakeClient> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startClusterAndNodes() {
        cluster = RedisCluster.launch(3, 0);
        node = NodePeer.sharded(cluster.uri(), "dynamic");
        nodeUrl = "http://127.0.0.1:" + node.port();
        herald.add(Node.start(cluster.uri(), SubscriptionMode.DYNAMIC));
        herald.add(Node.start(cluster.uri(), SubscriptionMode.DYNAMIC));
        await().atMost(WAIT)
                .until(() -> herald.stream()
                        .allMatch(n -> n.server().sockets().adapter().serverCount() == 3));
    }

    @AfterAll
    static void stopClusterAndNodes() {
        herald.forEach(n -> n.server().close());
        herald.clear();
        node.close();
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(FakeClient::drop);
        node.call(command("closeClients"));
        // the next test starts without rooms from this one (their channels are unsubscribed)
        await().atMost(WAIT)
                .until(() -> herald.stream()
                        .allMatch(n -> n.server().sockets().adapter().rooms().isEmpty()));
    }

    FakeClient heraldClient(int index, String name, String... rooms) {
        var client = FakeClient.member(herald.get(index).server(), name, rooms);
        clients.add(client);
        return client;
    }

    /** A socket.io-client on the Node server; returns its unique client name. */
    String nodeClient(String name, String... rooms) {
        return node.connectMember(nodeUrl, name, rooms);
    }

    /**
     * Waits until a dynamic room's channel has {@code subscribers} subscribers: a node subscribes
     * when its first member joins, asynchronously, as Node's adapter does.
     */
    static void awaitRoomSubscribers(String room, int subscribers) {
        String channel = "socket.io#/#" + room + "#";
        await().atMost(WAIT).until(() -> cluster.shardSubscribers(channel) == subscribers);
    }

    @Test
    void heraldBroadcastsToARoomAndToAllReachNodeAndHeraldClients() {
        var inRoom = nodeClient("in", "r");
        var outside = nodeClient("out", "other");
        var heraldMember = heraldClient(1, "hm", "r");
        var heraldOutsider = heraldClient(1, "ho");
        awaitRoomSubscribers("r", 2);
        byte[] payload = {1, 2, 3};

        herald.get(0).server().to("r").emit("from-herald", "text", payload);
        node.awaitLine(l -> isEvent(l, inRoom, "from-herald"));
        heraldMember.awaitEvent("from-herald");
        herald.get(0).server().emit("to-all", 7);
        node.awaitLine(l -> isEvent(l, outside, "to-all"));
        node.awaitLine(l -> isEvent(l, inRoom, "to-all"));
        heraldOutsider.awaitEvent("to-all");
        heraldMember.awaitEvent("to-all");

        var args = NodePeer.fromWire(
                node.received(inRoom, "from-herald").getFirst().get("args"));
        assertThat(args.get(0).asText()).isEqualTo("text");
        assertThat(args.get(1).isBinary()).isTrue();
        assertThat(node.received(inRoom, "from-herald")).hasSize(1);
        assertThat(node.received(outside, "from-herald")).isEmpty();
        assertThat(heraldOutsider.events("from-herald")).isEmpty();
    }

    @Test
    void nodeBroadcastsToARoomAndToAllReachHeraldClients() {
        var member = heraldClient(0, "m", "r2");
        var other = heraldClient(1, "o");
        awaitRoomSubscribers("r2", 1);

        var emit = command("emit");
        emit.put("event", "from-node");
        emit.set("args", array("hi", 42));
        emit.set("rooms", array("r2"));
        node.call(emit);
        member.awaitEvent("from-node");
        var all = command("emit");
        all.put("event", "to-all");
        node.call(all);
        other.awaitEvent("to-all");
        member.awaitEvent("to-all");

        assertThat(member.events("from-node").getFirst().args().toString()).isEqualTo("[\"hi\",42]");
        assertThat(other.events("from-node")).isEmpty();
    }

    @Test
    void fetchSocketsCrossesTheClusterBothWays() throws Exception {
        nodeClient("n", "shared");
        heraldClient(0, "h0", "shared");
        heraldClient(1, "h1", "shared");

        List<RemoteSocket> sockets =
                herald.get(1).server().to("shared").fetchSockets().get(10, TimeUnit.SECONDS);
        assertThat(sockets).extracting(s -> s.data().get("name")).containsExactlyInAnyOrder("h0", "h1", "n");
        var fromNode = sockets.stream()
                .filter(s -> "n".equals(s.data().get("name")))
                .findFirst()
                .orElseThrow();
        assertThat(fromNode.rooms()).contains("shared");
        assertThat(fromNode.handshake().query("EIO")).contains("4");

        var fetch = command("fetchSockets");
        fetch.set("rooms", array("shared"));
        var fromHerald = node.call(fetch).get("sockets");
        var names = StreamSupport.stream(fromHerald.spliterator(), false)
                .map(s -> s.path("data").path("name").asText())
                .toList();
        assertThat(names).containsExactlyInAnyOrder("n", "h0", "h1");
    }

    @Test
    void socketsJoinCrossesTheClusterBothWays() throws Exception {
        var h = heraldClient(0, "joiner", "lobby");
        nodeClient("joiner-node", "lobby");

        var join = command("socketsJoin");
        join.set("rooms", array("lobby"));
        join.set("join", array("vip"));
        node.call(join);
        await().atMost(WAIT)
                .until(() -> herald.get(1)
                                .server()
                                .to("vip")
                                .fetchSockets()
                                .get(5, TimeUnit.SECONDS)
                                .size()
                        == 2);
        // the joined Herald socket's node now subscribes to the new room's channel
        awaitRoomSubscribers("vip", 2);
        herald.get(1).server().to("vip").emit("welcome");
        h.awaitEvent("welcome");

        herald.get(1).server().to("lobby").socketsJoin("vip2");
        var fetch = command("fetchSockets");
        fetch.set("rooms", array("vip2"));
        await().atMost(WAIT).until(() -> node.call(fetch).get("sockets").size() == 2);

        herald.get(1).server().to("vip").disconnectSockets(true);
        await().atMost(WAIT).until(h::disconnected);
        await().atMost(WAIT).until(() -> node.call(fetch).get("sockets").isEmpty());
    }

    @Test
    void serverSideEmitWithRepliesCrossesTheClusterBothWays() throws Exception {
        var received = new CopyOnWriteArrayList<String>();
        herald.forEach(
                n -> n.server().sockets().onServerSideEmit("from-node", (e, args) -> received.add(args.string(0))));
        var ssEmit = command("serverSideEmit");
        ssEmit.put("event", "from-node");
        ssEmit.set("args", array("hello"));
        node.call(ssEmit);
        await().atMost(WAIT).until(() -> received.size() == 2);

        var reply = command("reply");
        reply.put("event", "question");
        reply.put("value", "node-says-yes");
        node.call(reply);
        herald.get(1).server().sockets().onServerSideEmit("question", (e, args) -> args.ack("herald-says-yes"));
        List<JsonNode> answers = herald.get(0)
                .server()
                .sockets()
                .adapter()
                .serverSideEmitWithAck("question", JSON.createArrayNode(), Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);
        assertThat(answers).extracting(JsonNode::asText).containsExactlyInAnyOrder("node-says-yes", "herald-says-yes");

        herald.forEach(n -> n.server().sockets().onServerSideEmit("question-for-herald", (e, args) -> args.ack("ok")));
        var ask = command("serverSideEmit");
        ask.put("event", "question-for-herald");
        ask.put("ack", true);
        var answered = node.call(ask);
        assertThat(answered.has("error")).as(answered.toString()).isFalse();
        assertThat(answered.get("replies").toString()).isEqualTo("[\"ok\",\"ok\"]");
    }

    @Test
    void broadcastAcksCollectRepliesBothWays() throws Exception {
        var hc = heraldClient(1, "hc", "ackers");
        nodeClient("nc", "ackers");
        var answering = Thread.ofVirtual().start(() -> hc.ack(hc.awaitEvent("poll"), "herald-reply"));
        List<EventArgs> replies = herald.get(0)
                .server()
                .to("ackers")
                .timeout(Duration.ofSeconds(5))
                .emitWithAck("poll")
                .get(10, TimeUnit.SECONDS);
        answering.join();
        assertThat(replies).extracting(r -> r.string(0)).hasSize(2).contains("herald-reply");

        var answeringAgain = Thread.ofVirtual().start(() -> hc.ack(hc.awaitEvent("poll2"), "from-herald-client"));
        var ask = command("emitWithAck");
        ask.put("event", "poll2");
        ask.set("rooms", array("ackers"));
        ask.put("timeout", 5000);
        var result = node.call(ask);
        answeringAgain.join();
        assertThat(result.has("error")).as(result.toString()).isFalse();
        assertThat(result.get("replies")).hasSize(2);
        assertThat(result.get("replies").toString()).contains("from-herald-client");
    }

    @Test
    void inDynamicModeANodeWithoutMembersReceivesNoneOfTheRoomsMessages() {
        var member = heraldClient(1, "member", "busy");
        var nodeMember = nodeClient("node-member", "busy");
        awaitRoomSubscribers("busy", 2);
        var idle = herald.get(0).factory();
        var busy = herald.get(1).factory();
        long idleBefore = idle.receivedMessages();
        long busyBefore = busy.receivedMessages();
        int nodeBefore = node.call(command("received"))
                .path("received")
                .path("socket.io#/#busy#")
                .asInt();

        int messages = 20;
        for (int i = 0; i < messages; i++) {
            herald.get(0).server().to("busy").emit("tick", i);
        }
        await().atMost(WAIT).until(() -> member.events("tick").size() == messages);
        node.awaitLine(
                l -> isEvent(l, nodeMember, "tick") && l.path("args").path(0).asInt() == messages - 1);

        // node 0 published them and has no member: none came back to it; node 1 got each once
        assertThat(idle.receivedMessages() - idleBefore).isZero();
        assertThat(busy.receivedMessages() - busyBefore).isEqualTo(messages);
        int nodeAfter = node.call(command("received"))
                .path("received")
                .path("socket.io#/#busy#")
                .asInt();
        assertThat(nodeAfter - nodeBefore).isEqualTo(messages);
        assertThat(member.events("tick")).hasSize(messages);
    }

    @Test
    void theShardedEmitterReachesClientsOfBothKindsOfNodes() {
        var hc = heraldClient(0, "he", "room-e");
        var outsider = heraldClient(1, "ho");
        var nc = nodeClient("ne", "room-e");
        awaitRoomSubscribers("room-e", 2);
        try (var emitter = RedisEmitter.sharded(
                ShardedRedisAdapterOptions.builder(cluster.uri()).build())) {
            emitter.to("room-e").emit("hello", "room", new byte[] {7}).join();
            emitter.emit("hello-all").join();
            emitter.to("room-e").socketsJoin("joined-by-emitter").join();
        }
        assertThat(hc.awaitEvent("hello").args().get(0).asText()).isEqualTo("room");
        node.awaitLine(l -> isEvent(l, nc, "hello"));
        outsider.awaitEvent("hello-all");
        node.awaitLine(l -> isEvent(l, nc, "hello-all"));
        await().atMost(WAIT)
                .until(() -> herald.get(0)
                        .server()
                        .sockets()
                        .adapter()
                        .socketRooms(hc.sid())
                        .map(r -> r.contains("joined-by-emitter"))
                        .orElse(false));
        assertThat(outsider.events("hello")).isEmpty();
        var args = NodePeer.fromWire(node.received(nc, "hello").getFirst().get("args"));
        assertThat(args.get(1).isBinary()).isTrue();
    }

    @Test
    void classicAdaptersAndTheirEmitterWorkOnTheClusterToo() throws Exception {
        var options = RedisAdapterOptions.builder(cluster.uri()).cluster(true).requestsTimeout(Duration.ofSeconds(3));
        try (var a = RedisAdapterTest.node(RedisAdapter.factory(options.build()));
                var b = RedisAdapterTest.node(RedisAdapter.factory(options.build()))) {
            // each subscriber is counted on the node it is connected to: the sum over nodes is 2
            await().atMost(WAIT).until(() -> a.sockets().adapter().serverCount() == 2);
            var auth = JSON.createObjectNode();
            auth.putArray("rooms").add("classic");
            var onB = FakeClient.connect(b, "/", auth);
            clients.add(onB);
            await().atMost(WAIT)
                    .until(() -> b.sockets().adapter().socketRooms(onB.sid()).isPresent());

            a.to("classic").emit("over-the-cluster");
            onB.awaitEvent("over-the-cluster");
            assertThat(a.fetchSockets().get(10, TimeUnit.SECONDS)).hasSize(1);
            try (var emitter = RedisEmitter.cluster(cluster.uri(), "socket.io")) {
                emitter.to("classic").emit("from-the-cluster-emitter").join();
            }
            onB.awaitEvent("from-the-cluster-emitter");
        }
    }

    @Test
    void inStaticModeEveryNodeGetsEveryRoomBroadcast() {
        // a prefix of their own: these nodes do not meet the dynamic ones of the other tests
        var sender = Node.start(cluster.uri(), SubscriptionMode.STATIC, "static");
        var receiver = Node.start(cluster.uri(), SubscriptionMode.STATIC, "static");
        try {
            await().atMost(WAIT).until(() -> sender.server().sockets().adapter().serverCount() == 2);
            var member = FakeClient.member(receiver.server(), "member", "room-s");
            clients.add(member);
            long senderBefore = sender.factory().receivedMessages();
            long receiverBefore = receiver.factory().receivedMessages();

            for (int i = 0; i < 5; i++) {
                sender.server().to("room-s").emit("tick", i);
            }
            await().atMost(WAIT).until(() -> member.events("tick").size() == 5);

            // one channel for the namespace: the sender, without members, gets its own 5 back
            await().atMost(WAIT).until(() -> sender.factory().receivedMessages() - senderBefore == 5);
            assertThat(receiver.factory().receivedMessages() - receiverBefore).isEqualTo(5);
            assertThat(cluster.shardSubscribers("static#/#room-s#")).isZero();
        } finally {
            sender.server().close();
            receiver.server().close();
        }
    }

    @Test
    void inDynamicPrivateModeAnEmitToASocketReachesOnlyItsNode() {
        var sender = Node.start(cluster.uri(), SubscriptionMode.DYNAMIC_PRIVATE, "private");
        var receiver = Node.start(cluster.uri(), SubscriptionMode.DYNAMIC_PRIVATE, "private");
        try {
            await().atMost(WAIT).until(() -> sender.server().sockets().adapter().serverCount() == 2);
            var target = FakeClient.member(receiver.server(), "target");
            clients.add(target);
            // the socket's own room has a channel, read by its node only
            await().atMost(WAIT).until(() -> cluster.shardSubscribers("private#/#" + target.sid() + "#") == 1);
            long senderBefore = sender.factory().receivedMessages();

            for (int i = 0; i < 5; i++) {
                sender.server().to(target.sid()).emit("direct", i);
            }
            await().atMost(WAIT).until(() -> target.events("direct").size() == 5);
            assertThat(sender.factory().receivedMessages() - senderBefore).isZero();
        } finally {
            sender.server().close();
            receiver.server().close();
        }
    }
}
