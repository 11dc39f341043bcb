package dev.herald.redis;

import static dev.herald.redis.NodePeer.command;
import static dev.herald.redis.StreamsCluster.connect;
import static dev.herald.redis.StreamsCluster.got;
import static dev.herald.redis.StreamsCluster.whoami;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.redis.StreamsCluster.HeraldNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two Herald nodes on one Redis stream, with npm socket.io-client 4.8 clients that recover. */
class RedisStreamsAdapterTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static RedisServer redis;
    static HeraldNode a;
    static HeraldNode b;
    static NodePeer clients;

    @BeforeAll
    static void start() {
        redis = RedisServer.launch();
        a = HeraldNode.start(redis.uri());
        b = HeraldNode.start(redis.uri());
        clients = NodePeer.run("streams-peer.js", "clients");
        clients.awaitLine(l -> l.path("ev").asText().equals("ready"));
        await().atMost(WAIT).until(() -> a.io().sockets().adapter().serverCount() == 2);
    }

    @AfterAll
    static void stop() {
        clients.close();
        a.close();
        b.close();
        redis.close();
    }

    @AfterEach
    void closeClients() {
        clients.call(command("closeClients"));
    }

    private static void client(String name, HeraldNode node, String... rooms) {
        var cmd = command("client").put("client", name).put("url", node.url());
        cmd.putObject("auth").put("name", name).set("rooms", NodePeer.array((Object[]) rooms));
        clients.send(cmd);
        connect(clients, name, 1);
        // in its rooms on the server before the test emits to them or drops it
        String known = whoami(clients, name).path("rooms").toString();
        for (String room : rooms) {
            assertThat(known).contains(room);
        }
    }

    @Test
    void broadcastReachesClientsOfBothNodes() {
        client("onA", a);
        client("onB", b);
        a.io().emit("hello", "from-a");
        b.io().emit("hello", "from-b");
        await().atMost(WAIT)
                .until(() ->
                        got(clients, "onA").size() == 2 && got(clients, "onB").size() == 2);
        assertThat(got(clients, "onA")).containsExactlyInAnyOrder("hello:from-a", "hello:from-b");
        assertThat(got(clients, "onB")).containsExactlyInAnyOrder("hello:from-a", "hello:from-b");
    }

    @Test
    void droppedClientResumesOnTheOtherNodeWithRoomsDataAndMissedEventsInOrder() {
        client("mover", a, "blue");
        String sid = connect(clients, "mover", 1).path("sid").asText();
        a.io().to("blue").emit("tick", "1");
        await().atMost(WAIT).until(() -> got(clients, "mover").size() == 1);

        clients.send(command("retarget").put("client", "mover").put("url", b.url()));
        clients.send(command("drop").put("client", "mover"));
        clients.awaitLine(l -> l.path("ev").asText().equals("disconnected"));
        // while it is away: from both nodes, to its room, to everyone, and to a room it is not in
        var expected = new ArrayList<>(List.of("tick:1"));
        for (int i = 2; i <= 11; i++) {
            (i % 2 == 0 ? a : b).io().to("blue").emit("tick", String.valueOf(i));
            expected.add("tick:" + i);
        }
        b.io().to("red").emit("tick", "not-for-blue");

        var resumed = connect(clients, "mover", 2);
        assertThat(resumed.path("recovered").asBoolean()).isTrue();
        assertThat(resumed.path("sid").asText()).isEqualTo(sid);
        b.io().to("blue").emit("tick", "12");
        expected.add("tick:12");
        await().atMost(WAIT).until(() -> got(clients, "mover").size() >= expected.size());
        var received = got(clients, "mover");
        // each exactly once; the two nodes' XADDs race, so only each node's own order is fixed
        assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(received.get(0)).isEqualTo("tick:1");
        assertThat(received.get(received.size() - 1)).isEqualTo("tick:12");
        var numbers =
                received.stream().map(e -> Integer.parseInt(e.substring(5))).toList();
        assertThat(numbers.stream().filter(n -> n % 2 == 0).toList()).isSorted().hasSize(6);
        assertThat(numbers.stream().filter(n -> n % 2 == 1).toList()).isSorted().hasSize(6);

        var whoami = whoami(clients, "mover");
        assertThat(whoami.path("rooms").toString()).contains("blue").contains(sid);
        assertThat(whoami.path("data").path("name").asText()).isEqualTo("mover");
        assertThat(b.io().sockets().adapter().socketRooms(sid))
                .hasValueSatisfying(r -> assertThat(r).contains("blue"));
    }

    @Test
    void clientThatReceivedNothingYetRecoversFromTheSessionStart() {
        client("quiet", a, "green");
        String sid = connect(clients, "quiet", 1).path("sid").asText();
        clients.send(command("retarget").put("client", "quiet").put("url", b.url()));
        clients.send(command("drop").put("client", "quiet"));
        clients.awaitLine(l -> l.path("ev").asText().equals("disconnected")
                && "quiet".equals(l.path("client").asText()));
        a.io().to("green").emit("news", "first");
        b.io().to("green").emit("news", "second");

        var resumed = connect(clients, "quiet", 2);
        assertThat(resumed.path("recovered").asBoolean()).isTrue();
        assertThat(resumed.path("sid").asText()).isEqualTo(sid);
        await().atMost(WAIT).until(() -> got(clients, "quiet").size() >= 2);
        assertThat(got(clients, "quiet")).containsExactlyInAnyOrder("news:first", "news:second");
    }
}
