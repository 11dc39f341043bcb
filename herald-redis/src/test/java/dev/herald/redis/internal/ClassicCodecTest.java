package dev.herald.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.socketio.Handshake;
import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.adapter.ClusterMessage;
import dev.herald.socketio.adapter.ClusterResponse;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.internal.MsgPack;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The classic redis-adapter wire format, from literal messages as Node 8.3 writes them. */
class ClassicCodecTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final ClassicCodec codec = new ClassicCodec(new Channels("socket.io", "/chat"));

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    class DecodesRequestsAsNodeSendsThem {

        @Test
        void socketsJoinFromANodeOrAnEmitter() {
            var join = codec.decodeRequest(utf8(
                    "{\"uid\":\"abc\",\"type\":2,\"opts\":{\"rooms\":[\"a\"],\"except\":[\"b\"]},\"rooms\":[\"c\"]}"));
            assertThat(join).containsInstanceOf(ClusterMessage.SocketsJoin.class);
            var j = (ClusterMessage.SocketsJoin) join.orElseThrow();
            assertThat(j.uid()).isEqualTo("abc");
            assertThat(j.nsp()).isEqualTo("/chat");
            assertThat(j.opts().rooms()).containsExactly("a");
            assertThat(j.opts().except()).containsExactly("b");
            assertThat(j.rooms()).containsExactly("c");

            var fromEmitter = codec.decodeRequest(
                            utf8("{\"type\":4,\"opts\":{\"rooms\":[],\"except\":[]},\"close\":true}"))
                    .orElseThrow();
            assertThat(((ClusterMessage.DisconnectSockets) fromEmitter).close()).isTrue();
            assertThat(fromEmitter.uid()).isEmpty();
        }

        @Test
        void serverSideEmitWithAndWithoutAck() {
            var plain = (ClusterMessage.ServerSideEmit)
                    codec.decodeRequest(utf8("{\"uid\":\"emitter\",\"type\":6,\"data\":[\"hello\",1,\"two\"]}"))
                            .orElseThrow();
            assertThat(plain.event()).isEqualTo("hello");
            assertThat(plain.args().toString()).isEqualTo("[1,\"two\"]");
            assertThat(plain.requestId()).isEmpty();

            var withAck = (ClusterMessage.ServerSideEmit)
                    codec.decodeRequest(utf8("{\"uid\":\"n1\",\"requestId\":\"r1\",\"type\":6,\"data\":[\"q\"]}"))
                            .orElseThrow();
            assertThat(withAck.requestId()).contains("r1");
        }

        @Test
        void broadcastWithAckIsMsgpackWithFlags() throws Exception {
            var request = JSON.readTree("{\"uid\":\"n1\",\"requestId\":\"r1\",\"type\":7,"
                    + "\"packet\":{\"type\":2,\"data\":[\"poll\"],\"nsp\":\"/chat\"},"
                    + "\"opts\":{\"rooms\":[\"a\"],\"except\":[],\"flags\":{\"timeout\":1000,\"volatile\":true}}}");
            var b = (ClusterMessage.Broadcast)
                    codec.decodeRequest(MsgPack.encode(request)).orElseThrow();
            assertThat(b.requestId()).contains("r1");
            assertThat(b.packet().type()).isEqualTo(PacketType.EVENT);
            assertThat(b.opts().flags().timeout()).contains(Duration.ofSeconds(1));
            assertThat(b.opts().flags().volatileFlag()).isTrue();
        }

        @Test
        void unknownTypesAreIgnoredAndGarbageRefused() {
            assertThat(codec.decodeRequest(utf8("{\"type\":42}"))).isEmpty();
            assertThatThrownBy(() -> codec.decodeRequest(utf8("{nope"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> codec.decodeRequest(new byte[] {(byte) 0xc1}))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class DecodesResponsesByTheirPendingRequest {

        @Test
        void fetchSocketsAnswersBecomeSocketDetails() {
            var json = "{\"requestId\":\"r1\",\"sockets\":[{\"id\":\"s1\",\"handshake\":{\"headers\":{\"host\":\"x\"},"
                    + "\"time\":\"Wed Nov 25 2026\",\"address\":\"::1\",\"xdomain\":false,\"secure\":false,"
                    + "\"issued\":1700000000000,\"url\":\"/socket.io/?EIO=4\",\"query\":{\"EIO\":\"4\"},\"auth\":{\"t\":1}},"
                    + "\"rooms\":[\"s1\",\"r\"],\"data\":{\"name\":\"n\",\"gone\":null}}]}";
            var response = codec.decodeResponse(utf8(json), id -> Optional.of(ClusterMessage.FetchSockets.class));
            var sockets = ((ClusterResponse.FetchSockets) response.orElseThrow()).sockets();
            assertThat(sockets).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo("s1");
                assertThat(s.nsp()).isEqualTo("/chat");
                assertThat(s.rooms()).containsExactlyInAnyOrder("s1", "r");
                assertThat(s.data()).containsExactly(Map.entry("name", "n"));
                assertThat(s.handshake().query("EIO")).contains("4");
                assertThat(s.handshake().time()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
                assertThat(s.handshake().auth().path("t").asInt()).isEqualTo(1);
            });
        }

        @Test
        void answersToRequestsOfOtherNodesAreIgnored() {
            assertThat(codec.decodeResponse(utf8("{\"requestId\":\"x\",\"rooms\":[]}"), id -> Optional.empty()))
                    .isEmpty();
        }

        @Test
        void broadcastCountsAndAcksCarryTheirType() throws Exception {
            var count = codec.decodeResponse(
                    utf8("{\"type\":8,\"requestId\":\"r\",\"clientCount\":3}"),
                    id -> Optional.of(ClusterMessage.Broadcast.class));
            assertThat(count).contains(new ClusterResponse.BroadcastClientCount("r", 3));
            var ack = codec.decodeResponse(
                    MsgPack.encode(JSON.readTree("{\"type\":9,\"requestId\":\"r\",\"packet\":\"yes\"}")),
                    id -> Optional.of(ClusterMessage.Broadcast.class));
            assertThat(((ClusterResponse.BroadcastAck) ack.orElseThrow()).args().toString())
                    .isEqualTo("[\"yes\"]");
        }
    }

    @Nested
    class EncodesAsNodeDoes {

        @Test
        void aBroadcastToOneRoomGoesToItsChannelAsMsgpack() throws Exception {
            var packet = new Packet(PacketType.BINARY_EVENT, "/chat", JSON.readTree("[\"e\",1]"));
            var out = codec.encode(new ClusterMessage.Broadcast(
                    "u",
                    "/chat",
                    packet,
                    new BroadcastOptions(Set.of("r"), Set.of(), BroadcastFlags.DEFAULT.withCompress(false)),
                    Optional.empty()));
            assertThat(out.channel()).isEqualTo("socket.io#/chat#r#");
            assertThat(MsgPack.decode(out.payload()).toString())
                    .isEqualTo("[\"u\",{\"type\":2,\"data\":[\"e\",1],\"nsp\":\"/chat\"},"
                            + "{\"rooms\":[\"r\"],\"except\":[],\"flags\":{\"compress\":false}}]");
        }

        @Test
        void fetchSocketsAnswersInNodesShape() throws Exception {
            var handshake = new Handshake(
                    Map.of("origin", List.of("http://x")),
                    Map.of("EIO", "4"),
                    JSON.readTree("{}"),
                    "127.0.0.1",
                    Instant.ofEpochMilli(1000),
                    "/socket.io/",
                    false);
            var details = new SocketDetails("s", "/chat", handshake, Set.of("s"), Map.of("k", 1));
            var out = codec.encode(new ClusterResponse.FetchSockets("r", List.of(details)), "asker", false);
            assertThat(out.channel()).isEqualTo("socket.io-response#/chat#");
            assertThat(new String(out.payload(), StandardCharsets.UTF_8))
                    .isEqualTo(
                            "{\"requestId\":\"r\",\"sockets\":[{\"id\":\"s\",\"handshake\":{\"headers\":{\"origin\":\"http://x\"},"
                                    + "\"time\":\"Thu Jan 01 1970 00:00:01 GMT+0000 (Coordinated Universal Time)\","
                                    + "\"address\":\"127.0.0.1\",\"xdomain\":true,\"secure\":false,\"issued\":1000,"
                                    + "\"url\":\"/socket.io/\",\"query\":{\"EIO\":\"4\"},\"auth\":{}},"
                                    + "\"rooms\":[\"s\"],\"data\":{\"k\":1}}]}");
        }

        @Test
        void socketDataThatJacksonCannotWriteIsSentEmpty() throws Exception {
            var handshake =
                    new Handshake(Map.of(), Map.of(), JSON.readTree("{}"), "127.0.0.1", Instant.EPOCH, "/", false);
            var details = new SocketDetails("s", "/chat", handshake, Set.of("s"), Map.of("lock", new Object()));
            var out = codec.encode(new ClusterResponse.FetchSockets("r", List.of(details)), "asker", false);
            assertThat(new String(out.payload(), StandardCharsets.UTF_8)).contains("\"data\":{}");
        }

        @Test
        void ackAnswersAreMsgpackWithTheFirstArgumentOnly() throws Exception {
            var args = JSON.createArrayNode().add("first").add("second");
            var out = codec.encode(new ClusterResponse.BroadcastAck("r", args), "asker", true);
            assertThat(out.channel()).isEqualTo("socket.io-response#/chat#asker#");
            assertThat(MsgPack.decode(out.payload()).toString())
                    .isEqualTo("{\"type\":9,\"requestId\":\"r\",\"packet\":\"first\"}");
        }
    }
}
