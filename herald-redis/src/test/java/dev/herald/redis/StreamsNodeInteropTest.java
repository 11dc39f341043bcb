package dev.herald.redis;

import static dev.herald.redis.NodePeer.command;
import static dev.herald.redis.StreamsCluster.connect;
import static dev.herald.redis.StreamsCluster.got;
import static dev.herald.redis.StreamsCluster.whoami;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.redis.StreamsCluster.HeraldNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Herald node and a Node socket.io node with @socket.io/redis-streams-adapter on one stream. */
class StreamsNodeInteropTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static RedisServer redis;
    static HeraldNode herald;
    static NodePeer node;
    static NodePeer clients;

    @BeforeAll
    static void start() {
        redis = RedisServer.launch();
        herald = HeraldNode.start(redis.uri());
        node = NodePeer.run("streams-peer.js", "server", redis.uri());
        node.awaitLine(l -> l.path("ev").asText().equals("listening"));
        clients = NodePeer.run("streams-peer.js", "clients");
        clients.awaitLine(l -> l.path("ev").asText().equals("ready"));
        await().atMost(WAIT).until(() -> herald.io().sockets().adapter().serverCount() == 2);
    }

    @AfterAll
    static void stop() {
        clients.close();
        node.close();
        herald.close();
        redis.close();
    }

    @AfterEach
    void closeClients() {
        clients.call(command("closeClients"));
    }

    private static String nodeUrl() {
        return "http://127.0.0.1:" + node.port();
    }

    private static void client(String name, String url, String room) {
        var cmd = command("client").put("client", name).put("url", url);
        cmd.putObject("auth").put("name", name).set("rooms", NodePeer.array(room));
        clients.send(cmd);
        connect(clients, name, 1);
        // in its room on the server before the test emits to it or drops it
        assertThat(whoami(clients, name).path("rooms").toString()).contains(room);
    }

    @Test
    void broadcastsCrossBothWays() {
        client("onHerald", herald.url(), "r");
        client("onNode", nodeUrl(), "r");
        herald.io().to("r").emit("hi", "herald");
        node.call(command("emit").put("event", "hi").set("args", NodePeer.array("node")));
        await().atMost(WAIT)
                .until(() -> got(clients, "onHerald").size() == 2
                        && got(clients, "onNode").size() == 2);
        assertThat(got(clients, "onHerald")).containsExactlyInAnyOrder("hi:herald", "hi:node");
        assertThat(got(clients, "onNode")).containsExactlyInAnyOrder("hi:herald", "hi:node");
    }

    @Test
    void sessionPersistedByHeraldIsRestoredByNode() {
        moves("h2n", herald.url(), nodeUrl());
    }

    @Test
    void sessionPersistedByNodeIsRestoredByHerald() {
        moves("n2h", nodeUrl(), herald.url());
    }

    private void moves(String name, String from, String to) {
        client(name, from, "room-" + name);
        String sid = connect(clients, name, 1).path("sid").asText();
        herald.io().to("room-" + name).emit("e", "1");
        await().atMost(WAIT).until(() -> got(clients, name).size() == 1);
        clients.send(command("retarget").put("client", name).put("url", to));
        clients.send(command("drop").put("client", name));
        clients.awaitLine(l -> l.path("ev").asText().equals("disconnected")
                && name.equals(l.path("client").asText()));
        herald.io().to("room-" + name).emit("e", "2");
        var emit = command("emit").put("event", "e");
        emit.set("args", NodePeer.array("3"));
        emit.set("rooms", NodePeer.array("room-" + name));
        node.call(emit);
        var resumed = connect(clients, name, 2);
        assertThat(resumed.path("recovered").asBoolean()).isTrue();
        assertThat(resumed.path("sid").asText()).isEqualTo(sid);
        await().atMost(WAIT).until(() -> got(clients, name).size() >= 3);
        assertThat(got(clients, name)).containsExactlyInAnyOrder("e:1", "e:2", "e:3");
        var whoami = whoami(clients, name);
        assertThat(whoami.path("rooms").toString()).contains("room-" + name);
        assertThat(whoami.path("data").path("name").asText()).isEqualTo(name);
    }
}
