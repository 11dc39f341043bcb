package dev.herald.redis;

import static dev.herald.redis.NodePeer.array;
import static dev.herald.redis.NodePeer.bin;
import static dev.herald.redis.NodePeer.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.redis.RedisCapture.Published;
import dev.herald.socketio.internal.MsgPack;
import dev.herald.redis.internal.Wire;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same cluster operation done on a Node socket.io 4.8 server with
 * {@code @socket.io/redis-adapter} 8.3 and on a Herald node publishes the same message on the same
 * channel: same encoding (msgpack or JSON), same keys in the same order, same values; only the
 * node uid and the random request id differ.
 */
class AdapterWireTest {

    static RedisServer redis;
    static NodePeer node;
    static SocketIoServer herald;
    static String heraldUid;
    static RedisCapture capture;

    @BeforeAll
    static void start() {
        redis = RedisServer.launch();
        node = NodePeer.server(redis.uri());
        herald = RedisAdapterTest.node(redis.uri());
        heraldUid = ((RedisAdapter) herald.sockets().adapter()).uid();
        await().atMost(Duration.ofSeconds(10)).until(() -> herald.sockets().adapter().serverCount() == 2);
        capture = new RedisCapture(redis.uri(), "socket.io*");
    }

    @AfterAll
    static void stop() {
        capture.close();
        herald.close();
        node.close();
        redis.close();
    }

    @Test
    void aRoomBroadcastWithBinary() {
        var args = array("text", 1, -2, 2.5, true);
        args.add(bin(new byte[] {1, 2, 3}));
        var emit = command("emit");
        emit.put("event", "ev");
        emit.set("args", args);
        emit.set("rooms", array("r"));
        var published = same("socket.io#/#r#", emit,
                io -> io.to("r").emit("ev", "text", 1, -2, 2.5, true, new byte[] {1, 2, 3}));
        assertThat(published.message()[0] & 0xff).as("msgpack fixarray").isEqualTo(0x93);
    }

    @Test
    void aBroadcastToSeveralRoomsWithExceptAndVolatile() {
        var emit = command("emit");
        emit.put("event", "ev");
        emit.set("rooms", array("a", "b"));
        emit.set("except", array("x"));
        emit.putObject("flags").put("volatile", true);
        same("socket.io#/#", emit, io -> io.to("a", "b").except("x").asVolatile().emit("ev"));
    }

    @Test
    void socketsJoinLeaveAndDisconnectRequests() {
        var join = command("socketsJoin");
        join.set("rooms", array("a"));
        join.set("join", array("b"));
        var published = same("socket.io-request#/#", join, io -> io.to("a").socketsJoin("b"));
        assertThat(published.message()[0]).as("JSON").isEqualTo((byte) '{');

        var leave = command("socketsLeave");
        leave.set("except", array("a"));
        leave.set("leave", array("b"));
        same("socket.io-request#/#", leave, io -> io.except("a").socketsLeave("b"));

        var disconnect = command("disconnectSockets");
        disconnect.set("rooms", array("a"));
        disconnect.put("close", true);
        same("socket.io-request#/#", disconnect, io -> io.to("a").disconnectSockets(true));
    }

    @Test
    void serverSideEmitRequest() {
        var emit = command("serverSideEmit");
        emit.put("event", "hello");
        emit.set("args", array("x", 1));
        same("socket.io-request#/#", emit, io -> io.sockets().serverSideEmit("hello", "x", 1));
    }

    @Test
    void fetchSocketsRequest() {
        var fetch = command("fetchSockets");
        fetch.set("rooms", array("a"));
        same("socket.io-request#/#", fetch, io -> io.to("a").fetchSockets().join());
    }

    @Test
    void broadcastWithAckRequest() {
        var ask = command("emitWithAck");
        ask.put("event", "poll");
        ask.set("rooms", array("a"));
        ask.put("timeout", 1000);
        same("socket.io-request#/#", ask, io -> {
            try {
                io.to("a").timeout(Duration.ofSeconds(1)).emitWithAck("poll").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * Runs the command on Node and the action on Herald, and compares the first message each
     * published on {@code channel}.
     */
    private Published same(String channel, ObjectNode nodeCommand, Consumer<SocketIoServer> heraldAction) {
        int seen = capture.size();
        node.call(nodeCommand);
        var fromNode = capture.next(seen, p -> p.channel().equals(channel) && !heraldUid.equals(uidOf(p)));
        seen = capture.size();
        heraldAction.accept(herald);
        var fromHerald = capture.next(seen, p -> p.channel().equals(channel) && heraldUid.equals(uidOf(p)));
        assertThat(fromHerald.message()[0]).as("same encoding").isEqualTo(fromNode.message()[0]);
        assertThat(normalized(fromHerald).toString()).isEqualTo(normalized(fromNode).toString());
        return fromHerald;
    }

    private static String uidOf(Published p) {
        var tree = decode(p);
        return tree.isArray() ? tree.get(0).asText() : tree.path("uid").asText();
    }

    /** Without uid and request id, and with room lists sorted: Herald keeps rooms in sets. */
    private static JsonNode normalized(Published p) {
        var tree = decode(p);
        if (tree instanceof ArrayNode array) {
            array.set(0, Wire.NODES.textNode("uid"));
            sortRooms(array.get(2));
        } else if (tree instanceof ObjectNode object) {
            sortRooms(object.path("opts"));
            if (object.has("uid")) {
                object.put("uid", "uid");
            }
            if (object.has("requestId")) {
                object.put("requestId", "id");
            }
        }
        return tree;
    }

    static void sortRooms(JsonNode opts) {
        if (opts instanceof ObjectNode object) {
            for (var key : java.util.List.of("rooms", "except")) {
                if (object.get(key) instanceof ArrayNode rooms) {
                    var sorted = new java.util.ArrayList<String>();
                    rooms.forEach(r -> sorted.add(r.asText()));
                    java.util.Collections.sort(sorted);
                    rooms.removeAll();
                    sorted.forEach(rooms::add);
                }
            }
        }
    }

    private static JsonNode decode(Published p) {
        return p.message()[0] == '{' ? Wire.decodeRequest(p.message()) : MsgPack.decode(p.message());
    }
}
