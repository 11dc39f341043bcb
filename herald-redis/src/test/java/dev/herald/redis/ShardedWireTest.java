package dev.herald.redis;

import static dev.herald.redis.NodePeer.array;
import static dev.herald.redis.NodePeer.bin;
import static dev.herald.redis.NodePeer.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.redis.RedisCapture.Published;
import dev.herald.redis.internal.Wire;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.internal.MsgPack;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
        herald = ShardedNodeInteropTest.Node.start(cluster.uri(), SubscriptionMode.DYNAMIC).server();
        other = ShardedNodeInteropTest.Node.start(cluster.uri(), SubscriptionMode.DYNAMIC).server();
        heraldUid = ((ShardedRedisAdapter) herald.sockets().adapter()).uid();
        heraldUids = Set.of(heraldUid, ((ShardedRedisAdapter) other.sockets().adapter()).uid());
        await().atMost(Duration.ofSeconds(10)).until(() -> herald.sockets().adapter().serverCount() == 3);
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
        var args = array("text", 1, -2, 2.5, true);
        args.add(bin(new byte[] {1, 2, 3}));
        var emit = command("emit");
        emit.put("event", "ev");
        emit.set("args", args);
        emit.set("rooms", array("r"));
        var published = same("socket.io#/#r#", emit,
                io -> io.to("r").emit("ev", "text", 1, -2, 2.5, true, new byte[] {1, 2, 3}));
        assertThat(published.message()[0] & 0xf0).as("msgpack fixmap").isEqualTo(0x80);
    }

    @Test
    void aRoomBroadcastWithoutBinaryIsJson() {
        var emit = command("emit");
        emit.put("event", "ev");
        emit.set("args", array("text", 1, Set.of()));
        emit.set("rooms", array("r"));
        var published = same("socket.io#/#r#", emit, io -> io.to("r").emit("ev", "text", 1, new int[0]));
        assertThat(published.message()[0]).as("JSON").isEqualTo((byte) '{');
    }

    @Test
    void broadcastsToAllAndToSeveralRoomsWithExceptAndVolatileUseTheNamespaceChannel() {
        var all = command("emit");
        all.put("event", "ev");
        all.set("args", array(1));
        same("socket.io#/#", all, io -> io.emit("ev", 1));

        var emit = command("emit");
        emit.put("event", "ev");
        emit.set("rooms", array("a", "b"));
        emit.set("except", array("x"));
        emit.putObject("flags").put("volatile", true);
        same("socket.io#/#", emit, io -> io.to("a", "b").except("x").asVolatile().emit("ev"));
    }

    @Test
    void socketsJoinLeaveAndDisconnect() {
        var join = command("socketsJoin");
        join.set("rooms", array("a"));
        join.set("join", array("b"));
        same("socket.io#/#", join, io -> io.to("a").socketsJoin("b"));

        var leave = command("socketsLeave");
        leave.set("except", array("a"));
        leave.set("leave", array("b"));
        same("socket.io#/#", leave, io -> io.except("a").socketsLeave("b"));

        var disconnect = command("disconnectSockets");
        disconnect.set("rooms", array("a"));
        disconnect.put("close", true);
        same("socket.io#/#", disconnect, io -> io.to("a").disconnectSockets(true));
    }

    @Test
    void serverSideEmitAndFetchSocketsRequests() {
        var emit = command("serverSideEmit");
        emit.put("event", "hello");
        emit.set("args", array("x", 1));
        same("socket.io#/#", emit, io -> io.sockets().serverSideEmit("hello", "x", 1));

        var fetch = command("fetchSockets");
        fetch.set("rooms", array("a"));
        same("socket.io#/#", fetch, io -> io.to("a").fetchSockets().join());
    }

    @Test
    void aBroadcastWithAcksUsesTheNamespaceChannelEvenForOneRoom() {
        var ask = command("emitWithAck");
        ask.put("event", "poll");
        ask.set("rooms", array("r"));
        ask.put("timeout", 1000);
        same("socket.io#/#", ask, io -> {
            try {
                io.to("r").timeout(Duration.ofSeconds(1)).emitWithAck("poll").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void serverSideEmitAnswersOfNodeAndHeraldAreTheSame() throws Exception {
        var reply = command("reply");
        reply.put("event", "question");
        reply.put("value", "yes");
        node.call(reply);
        other.sockets().onServerSideEmit("question", (e, args) -> args.ack("yes"));
        int seen = capture.size();

        herald.sockets().serverSideEmitWithAck("question", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

        String channel = "socket.io#/#" + heraldUid + "#";
        var fromOther = capture.next(seen, p -> p.channel().equals(channel) && heraldUids.contains(uidOf(p)));
        var fromNode = capture.next(seen, p -> p.channel().equals(channel) && !heraldUids.contains(uidOf(p)));
        assertThat(fromOther.message()[0]).as("same encoding").isEqualTo(fromNode.message()[0]);
        assertThat(normalized(fromOther).toString()).isEqualTo(normalized(fromNode).toString());
    }

    /**
     * Runs the command on Node and the action on Herald, and compares the first message each
     * published on {@code channel}.
     */
    private Published same(String channel, ObjectNode nodeCommand, Consumer<SocketIoServer> heraldAction) {
        int seen = capture.size();
        node.call(nodeCommand);
        var fromNode = capture.next(seen, p -> p.channel().equals(channel) && !heraldUids.contains(uidOf(p)));
        seen = capture.size();
        heraldAction.accept(herald);
        var fromHerald = capture.next(seen, p -> p.channel().equals(channel) && heraldUid.equals(uidOf(p)));
        assertThat(fromHerald.message()[0]).as("same encoding").isEqualTo(fromNode.message()[0]);
        assertThat(normalized(fromHerald).toString()).isEqualTo(normalized(fromNode).toString());
        return fromHerald;
    }

    private static String uidOf(Published p) {
        return decode(p).path("uid").asText();
    }

    /** Without uid and request id, and with room lists sorted: Herald keeps rooms in sets. */
    private static JsonNode normalized(Published p) {
        var tree = (ObjectNode) decode(p);
        tree.put("uid", "uid");
        if (tree.path("data") instanceof ObjectNode data) {
            if (data.has("requestId")) {
                data.put("requestId", "id");
            }
            AdapterWireTest.sortRooms(data.path("opts"));
        }
        return tree;
    }

    private static JsonNode decode(Published p) {
        return p.message()[0] == '{' ? Wire.decodeRequest(p.message()) : MsgPack.decode(p.message());
    }
}
