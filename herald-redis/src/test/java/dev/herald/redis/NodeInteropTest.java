package dev.herald.redis;

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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Herald nodes and one Node socket.io 4.8 server with {@code @socket.io/redis-adapter} 8.3 in
 * one cluster on one Redis: every cluster operation works in both directions.
 */
class NodeInteropTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    static RedisServer redis;
    static NodePeer node;
    static String nodeUrl;

    final List<SocketIoServer> herald = new ArrayList<>();
    final List<FakeClient> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRedisAndNode() {
        redis = RedisServer.launch();
        node = NodePeer.server(redis.uri());
        nodeUrl = "http://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stopRedisAndNode() {
        node.close();
        redis.close();
    }

    @BeforeEach
    void startHeraldNodes() {
        herald.add(RedisAdapterTest.node(redis.uri()));
        herald.add(RedisAdapterTest.node(redis.uri()));
        await().atMost(WAIT)
                .until(() -> herald.stream().allMatch(n -> n.sockets().adapter().serverCount() == 3));
    }

    @AfterEach
    void stopHeraldNodes() {
        clients.forEach(FakeClient::drop);
        herald.forEach(SocketIoServer::close);
        node.call(command("closeClients"));
    }

    FakeClient heraldClient(int index, String name, String... rooms) {
        var client = FakeClient.member(herald.get(index), name, rooms);
        clients.add(client);
        return client;
    }

    /** A socket.io-client on the Node server; returns its unique client name. */
    String nodeClient(String name, String... rooms) {
        return node.connectMember(nodeUrl, name, rooms);
    }

    @Test
    void aHeraldBroadcastReachesClientsOfTheNodeServer() {
        var inRoom = nodeClient("in", "r");
        var outside = nodeClient("out", "other");
        var heraldMember = heraldClient(1, "hm", "r");
        byte[] payload = {1, 2, 3};

        herald.get(0).to("r").emit("from-herald", "text", payload);
        node.awaitLine(l -> isEvent(l, inRoom, "from-herald"));
        heraldMember.awaitEvent("from-herald");
        herald.get(0).emit("marker");
        node.awaitLine(l -> isEvent(l, outside, "marker"));

        var args = NodePeer.fromWire(
                node.received(inRoom, "from-herald").getFirst().get("args"));
        assertThat(args.get(0).asText()).isEqualTo("text");
        assertThat(args.get(1).isBinary()).isTrue();
        assertThat(node.received(outside, "from-herald")).isEmpty();
        assertThat(node.received(inRoom, "from-herald")).hasSize(1);
    }

    @Test
    void aNodeBroadcastReachesHeraldClients() {
        var member = heraldClient(0, "m", "r");
        var other = heraldClient(1, "o");

        var emit = command("emit");
        emit.put("event", "from-node");
        emit.set("args", array("hi", 42));
        emit.set("rooms", array("r"));
        node.call(emit);
        member.awaitEvent("from-node");
        var marker = command("emit");
        marker.put("event", "marker");
        node.call(marker);
        other.awaitEvent("marker");

        assertThat(member.events("from-node").getFirst().args().toString()).isEqualTo("[\"hi\",42]");
        assertThat(other.events("from-node")).isEmpty();
    }

    @Test
    void fetchSocketsOnHeraldSeesTheSocketsOfTheNodeServer() throws Exception {
        var name = nodeClient("fetched", "shared");
        heraldClient(0, "local", "shared");

        List<RemoteSocket> sockets = herald.get(1).to("shared").fetchSockets().get(10, TimeUnit.SECONDS);

        assertThat(sockets).hasSize(2);
        var fromNode = sockets.stream()
                .filter(s -> "fetched".equals(s.data().get("name")))
                .findFirst()
                .orElseThrow();
        assertThat(fromNode.rooms()).contains("shared");
        assertThat(fromNode.handshake().query("EIO")).contains("4");
        assertThat(name).isNotEmpty();
    }

    @Test
    void fetchSocketsOnNodeSeesTheSocketsOfHeraldNodes() {
        nodeClient("n", "shared2");
        heraldClient(0, "h0", "shared2");
        heraldClient(1, "h1", "shared2");

        var fetch = command("fetchSockets");
        fetch.set("rooms", array("shared2"));
        var sockets = node.call(fetch).get("sockets");

        assertThat(sockets).hasSize(3);
        var names = StreamSupport.stream(sockets.spliterator(), false)
                .map(s -> s.path("data").path("name").asText())
                .toList();
        assertThat(names).containsExactlyInAnyOrder("n", "h0", "h1");
    }

    @Test
    void socketsJoinFromNodeAndDisconnectFromHeraldCrossTheCluster() throws Exception {
        var h = heraldClient(0, "joiner", "lobby");
        var n = nodeClient("joiner-node", "lobby");

        var join = command("socketsJoin");
        join.set("rooms", array("lobby"));
        join.set("join", array("vip"));
        node.call(join);
        await().atMost(WAIT)
                .until(() -> herald.get(1)
                                .to("vip")
                                .fetchSockets()
                                .get(5, TimeUnit.SECONDS)
                                .size()
                        == 2);

        herald.get(1).to("vip").disconnectSockets(true);
        await().atMost(WAIT).until(h::disconnected);
        node.awaitLine(l -> l.path("ev").asText().equals("disconnected")
                && l.path("client").asText().equals(n));
    }

    @Test
    void serverSideEmitCrossesTheClusterBothWays() throws Exception {
        var received = new CopyOnWriteArrayList<String>();
        herald.forEach(h -> h.sockets().onServerSideEmit("from-node", (e, args) -> received.add(args.string(0))));

        var ssEmit = command("serverSideEmit");
        ssEmit.put("event", "from-node");
        ssEmit.set("args", array("hello"));
        node.call(ssEmit);
        await().atMost(WAIT).until(() -> received.size() == 2);

        herald.get(0).sockets().serverSideEmit("from-herald", "x", 1);
        var line = node.awaitLine(l -> l.path("ev").asText().equals("serverSideEmit")
                && l.path("args").path(0).asText().equals("from-herald"));
        assertThat(line.get("args").toString()).isEqualTo("[\"from-herald\",\"x\",1]");
    }

    @Test
    void serverSideEmitWithAckCollectsTheNodeServersAnswer() throws Exception {
        var reply = command("reply");
        reply.put("event", "question");
        reply.put("value", "node-says-yes");
        node.call(reply);

        List<JsonNode> answers = herald.get(0)
                .sockets()
                .adapter()
                .serverSideEmitWithAck("question", JSON.createArrayNode(), Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        assertThat(answers).hasSize(2);
        assertThat(answers).extracting(JsonNode::asText).contains("node-says-yes");

        // and the other way: Node waits for both Herald nodes' answers
        var ask = command("serverSideEmit");
        ask.put("event", "question-for-herald");
        ask.put("ack", true);
        var answered = node.call(ask);
        assertThat(answered.has("error")).as(answered.toString()).isFalse();
        assertThat(answered.get("replies")).hasSize(2);
    }

    @Test
    void broadcastAcksCollectRepliesFromHeraldAndNodeClients() throws Exception {
        var hc = heraldClient(1, "hc");
        nodeClient("nc");
        var answering = Thread.ofVirtual().start(() -> hc.ack(hc.awaitEvent("poll"), "herald-reply"));

        List<EventArgs> replies =
                herald.get(0).timeout(Duration.ofSeconds(5)).emitWithAck("poll").get(10, TimeUnit.SECONDS);
        answering.join();

        assertThat(replies).extracting(r -> r.string(0)).hasSize(2).contains("herald-reply");
    }

    @Test
    void broadcastAcksFromNodeCollectRepliesOfHeraldClients() throws Exception {
        var hc = heraldClient(0, "hc2", "ackers");
        var answering = Thread.ofVirtual().start(() -> hc.ack(hc.awaitEvent("poll2"), "from-herald-client"));

        var ask = command("emitWithAck");
        ask.put("event", "poll2");
        ask.set("rooms", array("ackers"));
        ask.put("timeout", 5000);
        var result = node.call(ask);
        answering.join();

        assertThat(result.has("error")).as(result.toString()).isFalse();
        assertThat(result.get("replies").toString()).isEqualTo("[\"from-herald-client\"]");
    }

    @Test
    void allRoomsAndSocketIdsCrossTheClusterBothWays() throws Exception {
        nodeClient("roomy", "node-room");
        var h = heraldClient(1, "roomy-h", "herald-room");

        var adapter = (RedisAdapter) herald.get(0).sockets().adapter();
        assertThat(adapter.allRooms().get(10, TimeUnit.SECONDS)).contains("node-room", "herald-room");
        assertThat(adapter.sockets(Set.of("node-room", "herald-room")).get(10, TimeUnit.SECONDS))
                .hasSize(2)
                .contains(h.sid());

        var rooms = node.call(command("rooms")).get("rooms");
        assertThat(StreamSupport.stream(rooms.spliterator(), false)
                        .map(JsonNode::asText)
                        .toList())
                .contains("node-room", "herald-room");
    }

    @Test
    void nodesEmitterReachesHeraldClients() {
        var member = heraldClient(1, "em", "task-1");
        try (var emitter = NodePeer.emitter(redis.uri())) {
            var emit = command("emit");
            emit.put("event", "progress");
            emit.set("args", array(50));
            emit.set("rooms", array("task-1"));
            emitter.call(emit);
        }
        assertThat(member.awaitEvent("progress").args().toString()).isEqualTo("[50]");
    }

    @Test
    void heraldsEmitterReachesClientsOfBothKindsOfNodes() {
        var hc = heraldClient(0, "he", "room-e");
        var nc = nodeClient("ne", "room-e");
        try (var emitter = RedisEmitter.create(redis.uri())) {
            emitter.to("room-e").emit("hello", "all");
        }
        hc.awaitEvent("hello");
        node.awaitLine(l -> isEvent(l, nc, "hello"));
    }

    static boolean isEvent(JsonNode line, String client, String event) {
        return line.path("ev").asText().equals("event")
                && line.path("client").asText().equals(client)
                && line.path("name").asText().equals(event);
    }
}
