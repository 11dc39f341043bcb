package dev.herald.redis;

import static dev.herald.redis.NodePeer.JSON;
import static dev.herald.redis.NodePeer.array;
import static dev.herald.redis.NodePeer.bin;
import static dev.herald.redis.NodePeer.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.redis.RedisCapture.Published;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RedisEmitterTest {

    static RedisServer redis;
    static RedisEmitter emitter;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.launch();
        emitter = RedisEmitter.create(redis.uri());
    }

    @AfterAll
    static void stopRedis() {
        emitter.close();
        redis.close();
    }

    @Test
    void refusesReservedEventNames() {
        assertThatThrownBy(() -> emitter.emit("connect"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
    }

    @Test
    void ofAddsTheLeadingSlash() {
        assertThat(emitter.of("chat").namespace()).isEqualTo("/chat");
    }

    /**
     * The same operation done by Node's {@code @socket.io/redis-emitter} and by {@link RedisEmitter}
     * must publish the same bytes on the same channel.
     */
    @Nested
    class PublishesWhatNodesEmitterPublishes {

        static NodePeer node;
        static RedisCapture capture;

        @BeforeAll
        static void startNodeEmitter() {
            node = NodePeer.emitter(redis.uri());
            capture = new RedisCapture(redis.uri(), "socket.io*");
        }

        @AfterAll
        static void stopNodeEmitter() {
            capture.close();
            node.close();
        }

        @Test
        void anEmitToTheWholeNamespace() {
            var args = array("world", 42, -7, -200, 70000, 3.5, true, null);
            args.addObject().put("nested", "value").putArray("list").add(1).add(2);
            sameBytes(emitCommand("/", "hello", args, List.of(), List.of()), e -> e.emit("hello", javaArgs(args)));
        }

        @Test
        void anEmitToOneRoomGoesToTheRoomChannel() {
            var published = sameBytes(
                    emitCommand("/", "progress", array(50), List.of("task-1"), List.of()),
                    e -> e.to("task-1").emit("progress", 50));
            assertThat(published.channel()).isEqualTo("socket.io#/#task-1#");
        }

        @Test
        void anEmitToSeveralRoomsWithExceptOnANamespace() {
            var published = sameBytes(
                    emitCommand("/chat", "msg", array("hi"), List.of("a", "b"), List.of("x")),
                    e -> e.of("/chat").to("a").to("b").except("x").emit("msg", "hi"));
            assertThat(published.channel()).isEqualTo("socket.io#/chat#");
        }

        @Test
        void binaryAndLongStringsUseTheSameFormats() {
            byte[] small = {1, 2, 3, (byte) 255};
            byte[] large = new byte[300];
            IntStream.range(0, large.length).forEach(i -> large[i] = (byte) i);
            var longText = "x".repeat(40) + "é€😀";
            var args = array(longText, "y".repeat(300));
            args.add(bin(small));
            args.addObject().set("file", bin(large));
            sameBytes(emitCommand("/", "file", args, List.of(), List.of()), e -> {
                var data = new LinkedHashMap<String, Object>();
                data.put("file", large);
                e.emit("file", longText, "y".repeat(300), small, data);
            });
        }

        @Test
        void javaValuesBecomeTheSameJavaScriptValues() {
            var args = array(2, 2.25, "done");
            args.addObject().put("percent", 50).put("label", "half").put("ratio", 0.5);
            sameBytes(
                    emitCommand("/", "progress", args, List.of(), List.of()),
                    e -> e.emit("progress", 2.0, 2.25, "done", new Progress(50, "half", 0.5)));
        }

        @Test
        void volatileAndCompressFlags() {
            var command = emitCommand("/", "tick", array(1), List.of(), List.of());
            command.putObject("flags").put("volatile", true).put("compress", false);
            sameBytes(command, e -> e.asVolatile().compress(false).emit("tick", 1));
        }

        @Test
        void socketsJoinAndLeaveRequests() {
            var join = command("socketsJoin");
            join.set("rooms", array("a"));
            join.set("except", array("b"));
            join.set("join", array("c", "d"));
            var published = sameBytes(join, e -> e.to("a").except("b").socketsJoin("c", "d"));
            assertThat(published.channel()).isEqualTo("socket.io-request#/#");

            var leave = command("socketsLeave");
            leave.put("nsp", "/chat");
            leave.set("leave", array("c"));
            sameBytes(leave, e -> e.of("chat").socketsLeave("c"));
        }

        @Test
        void disconnectSocketsRequest() {
            var disconnect = command("disconnectSockets");
            disconnect.set("rooms", array("a"));
            disconnect.put("close", true);
            sameBytes(disconnect, e -> e.to("a").disconnectSockets(true));
        }

        @Test
        void serverSideEmitRequest() {
            var command = command("serverSideEmit");
            command.put("event", "hello");
            command.set("args", array(1, "two"));
            sameBytes(command, e -> e.serverSideEmit("hello", 1, "two"));
        }

        private Published sameBytes(ObjectNode nodeCommand, Consumer<RedisEmitter> herald) {
            int seen = capture.size();
            node.call(nodeCommand);
            var fromNode = capture.next(seen);
            herald.accept(emitter);
            var fromHerald = capture.next(seen + 1);
            assertThat(fromHerald.channel()).isEqualTo(fromNode.channel());
            assertThat(fromHerald.message()).isEqualTo(fromNode.message());
            return fromHerald;
        }
    }

    /** Herald's emitter reaches the clients of a Node socket.io server with the redis adapter. */
    @Nested
    class ReachesClientsOfANodeServer {

        static NodePeer server;

        @BeforeAll
        static void startNodeServer() {
            server = NodePeer.server(redis.uri());
        }

        @AfterAll
        static void stopNodeServer() {
            server.close();
        }

        @Test
        void onlyClientsInTheRoomReceiveTheEvent() throws Exception {
            var url = "http://127.0.0.1:" + server.port();
            server.connectClient("in-room", url, rooms("task-7"));
            server.connectClient("elsewhere", url, rooms("task-8"));
            server.connectClient("excluded", url, rooms("task-7", "muted"));

            emitter.to("task-7").except("muted").emit("progress", new Progress(70, "seventy", 0.7));
            emitter.to("task-8").emit("marker");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !server.received("elsewhere", "marker").isEmpty());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !server.received("in-room", "progress").isEmpty());
            var received = server.received("in-room", "progress").getFirst();
            assertThat(received.get("args"))
                    .isEqualTo(JSON.readTree("[{\"percent\":70,\"label\":\"seventy\",\"ratio\":0.7}]"));
            // the marker went out after the progress event on the same channel order: both are delivered
            assertThat(server.received("elsewhere", "progress")).isEmpty();
            assertThat(server.received("excluded", "progress")).isEmpty();
        }

        @Test
        void binaryArgumentsArriveAsBinary() {
            var url = "http://127.0.0.1:" + server.port() + "/chat";
            server.connectClient("bin", url, rooms("files"));
            byte[] payload = {0, 1, 2, (byte) 200};
            emitter.of("/chat").to("files").emit("file", "name.bin", payload);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !server.received("bin", "file").isEmpty());
            var args =
                    NodePeer.fromWire(server.received("bin", "file").getFirst().get("args"));
            assertThat(args.get(0).asText()).isEqualTo("name.bin");
            assertThat(args.get(1).isBinary()).isTrue();
            assertThat(binary(args.get(1))).containsExactly(payload);
        }

        @Test
        void socketsJoinThenEmitReachesTheJoinedRoom() {
            var url = "http://127.0.0.1:" + server.port();
            server.connectClient("joiner", url, rooms("lobby"));
            emitter.to("lobby").socketsJoin("vip");
            // requests and broadcasts travel on different channels: wait until the join is visible
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                var fetch = command("fetchSockets");
                fetch.set("rooms", array("vip"));
                return server.call(fetch).get("sockets").size() == 1;
            });
            emitter.to("vip").emit("welcome");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !server.received("joiner", "welcome").isEmpty());
        }

        @Test
        void disconnectSocketsDisconnectsTheTargetedClients() {
            var url = "http://127.0.0.1:" + server.port();
            server.connectClient("leaving", url, rooms("doomed"));
            server.connectClient("staying", url, rooms("safe"));
            emitter.to("doomed").disconnectSockets(true);
            server.awaitLine(l -> l.path("ev").asText().equals("disconnected")
                    && l.path("client").asText().equals("leaving"));
            assertThat(server.lines(l -> l.path("ev").asText().equals("disconnected")
                            && l.path("client").asText().equals("staying")))
                    .isEmpty();
        }
    }

    record Progress(int percent, String label, double ratio) {}

    static ObjectNode emitCommand(String nsp, String event, JsonNode args, List<String> rooms, List<String> except) {
        var command = command("emit");
        command.put("nsp", nsp);
        command.put("event", event);
        command.set("args", args);
        command.set("rooms", array(rooms.toArray()));
        command.set("except", array(except.toArray()));
        return command;
    }

    static Object[] javaArgs(JsonNode args) {
        var out = new ArrayList<Object>();
        NodePeer.fromWire(args).forEach(out::add);
        return out.toArray();
    }

    static ObjectNode rooms(String... rooms) {
        var auth = JSON.createObjectNode();
        auth.set("rooms", array((Object[]) rooms));
        return auth;
    }

    static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
