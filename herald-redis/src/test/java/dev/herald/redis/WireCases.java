package dev.herald.redis;

import static dev.herald.redis.NodePeer.array;
import static dev.herald.redis.NodePeer.bin;
import static dev.herald.redis.NodePeer.command;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.redis.RedisCapture.Published;
import dev.herald.redis.internal.Wire;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.internal.MsgPack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The cluster operations the wire tests run once on a Node peer and once on a Herald node, to
 * compare what each publishes: the peer's command and the same operation in Herald's API.
 */
final class WireCases {

    /** One operation, for Node and for Herald. */
    record Case(ObjectNode nodeCommand, Consumer<SocketIoServer> heraldAction) {}

    /** The messages a test recorded as Redis carried them. */
    interface Capture {
        /** How many messages arrived so far. */
        int size();

        /** Waits for the first message after the {@code seen} ones that matches. */
        Published next(int seen, Predicate<Published> matching);
    }

    private WireCases() {}

    /**
     * Runs the operation on the Node peer, then on the Herald node whose uid is {@code heraldUid},
     * and checks that the first message each published on {@code channel} is the same: same
     * encoding, same keys in the same order, same values but for uids and request ids.
     *
     * @param heraldUids the uids of every Herald node, so that the Node peer's message is the other one
     */
    static Published same(
            Capture capture,
            NodePeer node,
            SocketIoServer herald,
            String heraldUid,
            Set<String> heraldUids,
            String channel,
            Case operation) {
        int seen = capture.size();
        node.call(operation.nodeCommand());
        var fromNode = capture.next(seen, p -> p.channel().equals(channel) && !heraldUids.contains(uidOf(p)));
        seen = capture.size();
        operation.heraldAction().accept(herald);
        var fromHerald = capture.next(seen, p -> p.channel().equals(channel) && heraldUid.equals(uidOf(p)));
        assertSameMessage(fromHerald, fromNode);
        return fromHerald;
    }

    /** The two messages have the same encoding and content, uids and request ids aside. */
    static void assertSameMessage(Published actual, Published expected) {
        assertThat(actual.message()[0]).as("same encoding").isEqualTo(expected.message()[0]);
        assertThat(normalized(actual).toString()).isEqualTo(normalized(expected).toString());
    }

    /** The sender's uid: first of a classic broadcast array, {@code uid} of an object. */
    static String uidOf(Published p) {
        var tree = decode(p);
        return tree.isArray() ? tree.get(0).asText() : tree.path("uid").asText();
    }

    /**
     * Without uid and request id, and with room lists sorted (Herald keeps rooms in sets); for
     * classic broadcasts {@code [uid, packet, opts]}, classic requests {@code {uid, requestId,
     * opts…}} and cluster messages {@code {type, data: {requestId, opts…}, uid, nsp}}.
     */
    static JsonNode normalized(Published p) {
        var tree = decode(p);
        if (tree instanceof ArrayNode array) {
            array.set(0, Wire.NODES.textNode("uid"));
            sortRooms(array.get(2));
        } else if (tree instanceof ObjectNode object) {
            if (object.has("uid")) {
                object.put("uid", "uid");
            }
            for (var part : List.of(object, object.path("data"))) {
                if (part instanceof ObjectNode fields) {
                    sortRooms(fields.path("opts"));
                    if (fields.has("requestId")) {
                        fields.put("requestId", "id");
                    }
                }
            }
        }
        return tree;
    }

    private static void sortRooms(JsonNode opts) {
        if (opts instanceof ObjectNode object) {
            for (var key : List.of("rooms", "except")) {
                if (object.get(key) instanceof ArrayNode rooms) {
                    var sorted = new ArrayList<String>();
                    rooms.forEach(r -> sorted.add(r.asText()));
                    Collections.sort(sorted);
                    rooms.removeAll();
                    sorted.forEach(rooms::add);
                }
            }
        }
    }

    private static JsonNode decode(Published p) {
        return p.message()[0] == '{' ? Wire.decodeRequest(p.message()) : MsgPack.decode(p.message());
    }

    /** An emit to one room with numbers, a boolean and binary. */
    static Case roomBroadcastWithBinary(String room) {
        var args = array("text", 1, -2, 2.5, true);
        args.add(bin(new byte[] {1, 2, 3}));
        var emit = command("emit");
        emit.put("event", "ev");
        emit.set("args", args);
        emit.set("rooms", array(room));
        return new Case(emit, io -> io.to(room).emit("ev", "text", 1, -2, 2.5, true, new byte[] {1, 2, 3}));
    }

    /** An emit to two rooms, except one, volatile. */
    static Case severalRoomsWithExceptAndVolatile() {
        var emit = command("emit");
        emit.put("event", "ev");
        emit.set("rooms", array("a", "b"));
        emit.set("except", array("x"));
        emit.putObject("flags").put("volatile", true);
        return new Case(emit, io -> io.to("a", "b").except("x").asVolatile().emit("ev"));
    }

    static Case socketsJoin() {
        var join = command("socketsJoin");
        join.set("rooms", array("a"));
        join.set("join", array("b"));
        return new Case(join, io -> io.to("a").socketsJoin("b"));
    }

    static Case socketsLeave() {
        var leave = command("socketsLeave");
        leave.set("except", array("a"));
        leave.set("leave", array("b"));
        return new Case(leave, io -> io.except("a").socketsLeave("b"));
    }

    static Case disconnectSockets() {
        var disconnect = command("disconnectSockets");
        disconnect.set("rooms", array("a"));
        disconnect.put("close", true);
        return new Case(disconnect, io -> io.to("a").disconnectSockets(true));
    }

    static Case serverSideEmit() {
        var emit = command("serverSideEmit");
        emit.put("event", "hello");
        emit.set("args", array("x", 1));
        return new Case(emit, io -> io.sockets().serverSideEmit("hello", "x", 1));
    }

    static Case fetchSockets() {
        var fetch = command("fetchSockets");
        fetch.set("rooms", array("a"));
        return new Case(fetch, io -> io.to("a").fetchSockets().join());
    }

    /** A broadcast with acks to one room, waiting 1 s for them. */
    static Case broadcastWithAck(String room) {
        var ask = command("emitWithAck");
        ask.put("event", "poll");
        ask.set("rooms", array(room));
        ask.put("timeout", 1000);
        return new Case(ask, io -> {
            try {
                io.to(room).timeout(Duration.ofSeconds(1)).emitWithAck("poll").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
