package dev.herald.redis;

import static dev.herald.redis.NodePeer.array;
import static dev.herald.redis.NodePeer.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.redis.RedisCapture.Published;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same cluster operation done on a Node socket.io 4.8 server with {@code
 * createShardedAdapter} of {@code @socket.io/redis-adapter} 8.3 and on a Herald node with {@link
 * ShardedRedisAdapter} publishes the same message on the same sharded channel: same encoding (JSON
 * or msgpack), same keys in the same order, same values; only the node uid and the random request
 * id differ. Both in the dynamic mode, where a one-room broadcast has its own channel.
 */
class ShardedWireTest {

    static RedisCluster cluster;
    static NodePeer node;
    static SocketIoServer herald;
    static SocketIoServer other;
    static Set<String> heraldUids;
    static String heraldUid;
    static ShardedCapture capture;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.launch(3, 0);
        node = NodePeer.sharded(cluster.uri(), "dynamic");
        herald = ShardedNodeInteropTest.Node.start(cluster.uri(), SubscriptionMode.DYNAMIC)
                .server();
        other = ShardedNodeInteropTest.Node.start(cluster.uri(), SubscriptionMode.DYNAMIC)
                .server();
        heraldUid = ((ShardedRedisAdapter) herald.sockets().adapter()).uid();
        heraldUids = Set.of(heraldUid, ((ShardedRedisAdapter) other.sockets().adapter()).uid());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> herald.sockets().adapter().serverCount() == 3);
        capture = new ShardedCapture(cluster);
    }

    @AfterAll
    static void stop() {
        capture.close();
        herald.close();
        other.close();
        node.close();
        cluster.close();
    }

    @Test
    void aRoomBroadcastWithBinaryIsMsgpackOnTheRoomsChannel() {
        var published = same("socket.io#/#r#", WireCases.roomBroadcastWithBinary("r"));
        assertThat(published.message()[0] & 0xf0).as("msgpack fixmap").isEqualTo(0x80);
    }

    @Test
    void aRoomBroadcastWithoutBinaryIsJson() {
        var emit = command("emit");
        emit.put("event", "ev");
        emit.set("args", array("text", 1, Set.of()));
        emit.set("rooms", array("r"));
        var published =
                same("socket.io#/#r#", new WireCases.Case(emit, io -> io.to("r").emit("ev", "text", 1, new int[0])));
        assertThat(published.message()[0]).as("JSON").isEqualTo((byte) '{');
    }

    @Test
    void broadcastsToAllAndToSeveralRoomsWithExceptAndVolatileUseTheNamespaceChannel() {
        var all = command("emit");
        all.put("event", "ev");
        all.set("args", array(1));
        same("socket.io#/#", new WireCases.Case(all, io -> io.emit("ev", 1)));
        same("socket.io#/#", WireCases.severalRoomsWithExceptAndVolatile());
    }

    @Test
    void socketsJoinLeaveAndDisconnect() {
        same("socket.io#/#", WireCases.socketsJoin());
        same("socket.io#/#", WireCases.socketsLeave());
        same("socket.io#/#", WireCases.disconnectSockets());
    }

    @Test
    void serverSideEmitAndFetchSocketsRequests() {
        same("socket.io#/#", WireCases.serverSideEmit());
        same("socket.io#/#", WireCases.fetchSockets());
    }

    @Test
    void aBroadcastWithAcksUsesTheNamespaceChannelEvenForOneRoom() {
        same("socket.io#/#", WireCases.broadcastWithAck("r"));
    }

    @Test
    void serverSideEmitAnswersOfNodeAndHeraldAreTheSame() throws Exception {
        var reply = command("reply");
        reply.put("event", "question");
        reply.put("value", "yes");
        node.call(reply);
        other.sockets().onServerSideEmit("question", (e, args) -> args.ack("yes"));
        int seen = capture.size();

        herald.sockets()
                .serverSideEmitWithAck("question", Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        String channel = "socket.io#/#" + heraldUid + "#";
        var fromOther = capture.next(seen, p -> p.channel().equals(channel) && heraldUids.contains(WireCases.uidOf(p)));
        var fromNode = capture.next(seen, p -> p.channel().equals(channel) && !heraldUids.contains(WireCases.uidOf(p)));
        WireCases.assertSameMessage(fromOther, fromNode);
    }

    private Published same(String channel, WireCases.Case operation) {
        return WireCases.same(capture, node, herald, heraldUid, heraldUids, channel, operation);
    }
}
