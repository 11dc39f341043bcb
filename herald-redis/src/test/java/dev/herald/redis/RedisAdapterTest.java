package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.RemoteSocket;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.adapter.AdapterFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three Herald nodes, each with its own {@link RedisAdapter}, on one real Redis. */
class RedisAdapterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    static RedisServer redis;

    final List<SocketIoServer> nodes = new ArrayList<>();
    final List<FakeClient> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.launch();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startNodes() {
        for (int i = 0; i < 3; i++) {
            nodes.add(node(redis.uri()));
        }
        // every node subscribes asynchronously: wait until each sees the other two
        await().atMost(WAIT)
                .until(() -> nodes.stream().allMatch(n -> n.sockets().adapter().serverCount() == 3));
    }

    @AfterEach
    void stopNodes() {
        clients.forEach(FakeClient::drop);
        nodes.forEach(SocketIoServer::close);
    }

    static SocketIoServer node(String uri) {
        return node(RedisAdapter.factory(RedisAdapterOptions.builder(uri)
                .requestsTimeout(Duration.ofSeconds(2))
                .build()));
    }

    /** A node whose sockets join the rooms of their auth's {@code rooms} and keep its {@code name}. */
    static SocketIoServer node(AdapterFactory adapterFactory) {
        var server = SocketIoServer.create(
                SocketIoOptions.builder().adapterFactory(adapterFactory).build());
        server.onConnect(socket -> {
            var rooms = socket.handshake().auth().path("rooms");
            rooms.forEach(r -> socket.join(r.asText()));
            if (socket.handshake().auth().has("name")) {
                socket.data().put("name", socket.handshake().auth().get("name").asText());
            }
        });
        return server;
    }

    FakeClient client(int node, String name, String... rooms) {
        var client = FakeClient.member(nodes.get(node), name, rooms);
        clients.add(client);
        return client;
    }

    /** Broadcasts a marker from node 0 and waits until every client got it: earlier broadcasts are in. */
    void flush() {
        nodes.get(0).emit("flush");
        await().atMost(WAIT)
                .until(() -> clients.stream().allMatch(c -> !c.events("flush").isEmpty()));
    }

    @Test
    void aBroadcastToARoomReachesEveryMemberOnEveryNodeExactlyOnce() {
        var members = List.of(client(0, "a0", "r"), client(1, "a1", "r"), client(2, "a2", "r", "other"));
        var outsiders = List.of(client(0, "b0"), client(1, "b1", "other"), client(2, "b2"));

        nodes.get(1).to("r").emit("hello", 1, "two");
        flush();

        for (var member : members) {
            assertThat(member.events("hello")).hasSize(1);
            assertThat(member.events("hello").getFirst().args().toString()).isEqualTo("[1,\"two\"]");
        }
        for (var outsider : outsiders) {
            assertThat(outsider.events("hello")).isEmpty();
        }
    }

    @Test
    void aBroadcastToSeveralRoomsReachesEachSocketOnce() {
        var both = client(2, "both", "r1", "r2");
        var one = client(1, "one", "r2");

        nodes.get(0).to("r1", "r2").emit("multi");
        flush();

        assertThat(both.events("multi")).hasSize(1);
        assertThat(one.events("multi")).hasSize(1);
    }

    @Test
    void exceptIsRespectedOnEveryNode() {
        var kept = List.of(client(1, "k1", "r"), client(2, "k2", "r"));
        var skipped = List.of(client(1, "s1", "r", "muted"), client(2, "s2", "muted"), client(0, "s0", "r", "muted"));

        nodes.get(0).to("r").except("muted").emit("news");
        flush();

        kept.forEach(c -> assertThat(c.events("news")).hasSize(1));
        skipped.forEach(c -> assertThat(c.events("news")).isEmpty());
    }

    @Test
    void localBroadcastsStayOnTheirNode() {
        var here = client(0, "here");
        var there = client(1, "there");

        nodes.get(0).local().emit("local-only");
        flush();

        assertThat(here.events("local-only")).hasSize(1);
        assertThat(there.events("local-only")).isEmpty();
    }

    @Test
    void fetchSocketsSeesTheSocketsOfEveryNode() throws Exception {
        client(0, "x0", "r");
        client(1, "x1", "r");
        client(2, "x2");

        List<RemoteSocket> all = nodes.get(2).fetchSockets().get(5, TimeUnit.SECONDS);
        assertThat(all).hasSize(3);
        List<RemoteSocket> inRoom = nodes.get(2).to("r").fetchSockets().get(5, TimeUnit.SECONDS);
        assertThat(inRoom).extracting(s -> s.data().get("name")).containsExactlyInAnyOrder("x0", "x1");
        var remote = inRoom.stream()
                .filter(s -> "x1".equals(s.data().get("name")))
                .findFirst()
                .orElseThrow();
        assertThat(remote.rooms()).contains("r", remote.id());
        assertThat(remote.handshake().auth().path("name").asText()).isEqualTo("x1");
        assertThat(remote.handshake().header("user-agent")).contains("fake");
    }

    @Test
    void socketsJoinAndLeaveApplyOnEveryNode() throws Exception {
        var c0 = client(0, "j0", "lobby");
        var c2 = client(2, "j2", "lobby");

        nodes.get(1).to("lobby").socketsJoin("vip");
        await().atMost(WAIT).until(() -> roomMembers(1, "vip") == 2);
        nodes.get(1).to("vip").emit("welcome");
        c0.awaitEvent("welcome");
        c2.awaitEvent("welcome");

        nodes.get(0).socketsLeave("vip");
        await().atMost(WAIT).until(() -> roomMembers(1, "vip") == 0);
    }

    @Test
    void disconnectSocketsApplyOnEveryNode() {
        var doomed = List.of(client(0, "d0", "doomed"), client(2, "d2", "doomed"));
        var safe = client(1, "s1");

        nodes.get(1).to("doomed").disconnectSockets(false);

        await().atMost(WAIT).until(() -> doomed.stream().allMatch(FakeClient::disconnected));
        assertThat(safe.disconnected()).isFalse();
    }

    @Test
    void serverSideEmitReachesTheOtherNodesOnly() {
        var received = new CopyOnWriteArrayList<String>();
        for (int i = 0; i < 3; i++) {
            int index = i;
            nodes.get(i)
                    .sockets()
                    .onServerSideEmit("hello", (event, args) -> received.add(index + ":" + args.string(0)));
        }

        nodes.get(0).sockets().serverSideEmit("hello", "world");

        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(received).containsExactlyInAnyOrder("1:world", "2:world");
    }

    @Test
    void serverSideEmitWithAckCollectsOneAnswerPerOtherNode() throws Exception {
        var args = JSON.createArrayNode().add("ping");
        List<JsonNode> answers = nodes.get(2)
                .sockets()
                .adapter()
                .serverSideEmitWithAck("question", args, Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);
        assertThat(answers).hasSize(2);
    }

    @Test
    void broadcastAcksCollectTheRepliesOfClientsOnEveryNode() throws Exception {
        var all = List.of(client(0, "q0"), client(1, "q1"), client(2, "q2"));
        var answering = Thread.ofVirtual().start(() -> {
            for (var c : all) {
                c.ack(c.awaitEvent("poll"), "yes-" + all.indexOf(c));
            }
        });

        List<EventArgs> replies =
                nodes.get(0).timeout(Duration.ofSeconds(5)).emitWithAck("poll").get(10, TimeUnit.SECONDS);
        answering.join();

        assertThat(replies).extracting(r -> r.string(0)).containsExactlyInAnyOrder("yes-0", "yes-1", "yes-2");
    }

    @Test
    void allRoomsListsTheRoomsOfEveryNode() throws Exception {
        client(0, "r0", "alpha");
        client(2, "r2", "beta");

        var rooms = ((RedisAdapter) nodes.get(1).sockets().adapter()).allRooms().get(5, TimeUnit.SECONDS);
        assertThat(rooms).contains("alpha", "beta");
    }

    @Test
    void aRequestWithoutEnoughAnswersFailsWithATimeout() throws Exception {
        // a fourth subscriber on the request channel that never answers
        try (var silent = RedisCapture.channel(redis.uri(), "socket.io-request#/#")) {
            await().atMost(WAIT).until(() -> nodes.get(0).sockets().adapter().serverCount() == 4);
            var fetch = nodes.get(0).fetchSockets();
            assertThatThrownBy(() -> fetch.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .hasMessageContaining("timeout reached")
                    .hasMessageContaining("2 responses received out of 3");
        }
    }

    @Test
    void answersAreNeverDeliveredOnLettucesThreads() throws Exception {
        client(1, "t1");
        var adapter = (RedisAdapter) nodes.get(0).sockets().adapter();

        // a namespace on this node only: no other node to ask, the count alone completes the request
        var solo = (RedisAdapter) nodes.get(0).of("/solo").adapter();
        await().atMost(WAIT).until(() -> solo.serverCount() == 1);
        var threads = List.of(
                solo.allRooms().thenApply(r -> Thread.currentThread()).get(5, TimeUnit.SECONDS),
                adapter.allRooms().thenApply(r -> Thread.currentThread()).get(5, TimeUnit.SECONDS),
                adapter.sockets(Set.of()).thenApply(r -> Thread.currentThread()).get(5, TimeUnit.SECONDS),
                adapter.serverSideEmitWithAck("x", JSON.createArrayNode(), Duration.ofSeconds(2))
                        .thenApply(r -> Thread.currentThread())
                        .get(5, TimeUnit.SECONDS));

        for (var thread : threads) {
            assertThat(thread.getName()).doesNotStartWith("lettuce");
        }
    }

    @Test
    void socketsListsTheIdsOfEveryNode() throws Exception {
        var c0 = client(0, "i0", "ids");
        var c2 = client(2, "i2", "ids");
        client(1, "i1");

        var ids = nodes.get(1).sockets().adapter().sockets(Set.of("ids")).get(5, TimeUnit.SECONDS);

        assertThat(ids).containsExactlyInAnyOrder(c0.sid(), c2.sid());
    }

    @Test
    void answersOnTheAskingNodesOwnChannelWhenConfigured() throws Exception {
        var specific = SocketIoServer.create(SocketIoOptions.builder()
                .adapterFactory(RedisAdapter.factory(RedisAdapterOptions.builder(redis.uri())
                        .publishOnSpecificResponseChannel(true)
                        .build()))
                .build());
        nodes.add(specific);
        await().atMost(WAIT).until(() -> specific.sockets().adapter().serverCount() == 4);
        var uid = ((RedisAdapter) nodes.get(0).sockets().adapter()).uid();
        client(0, "asker");
        client(3, "answerer");
        try (var ownChannel = RedisCapture.channel(redis.uri(), "socket.io-response#/#" + uid + "#")) {
            await().atMost(WAIT).until(() -> specific.sockets().adapter().serverCount() == 4);

            assertThat(nodes.get(0).fetchSockets().get(5, TimeUnit.SECONDS)).hasSize(2);
            assertThat(ownChannel.next(0).channel()).isEqualTo("socket.io-response#/#" + uid + "#");
        }
    }

    long roomMembers(int node, String room) throws Exception {
        return nodes.get(node).to(room).fetchSockets().get(5, TimeUnit.SECONDS).size();
    }

    static ArrayNode array(Object... values) {
        return JSON.valueToTree(values);
    }
}
