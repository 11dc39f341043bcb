package dev.herald.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.engineio.Message;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.parser.MalformedPacketException;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import dev.herald.socketio.parser.Parser;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The msgpack parser against the bytes of npm {@code socket.io-msgpack-parser} 3.0.2 (notepack.io
 * 2.2.0). Each hex literal is {@code new Encoder().encode(packet)[0].toString("hex")} of the
 * packet object in the comment above it, run with that package in herald-examples/src/test/node.
 */
class MsgPackParserTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final Parser parser = Parser.msgpack();
    private final Parser.Decoder decoder = parser.newDecoder(SocketIoOptions.defaults());

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private String encodeHex(Packet packet) {
        List<Message> out = parser.encode(packet);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).isBinary()).isTrue();
        return HEX.formatHex(out.get(0).binary());
    }

    private Packet decodeHex(String hex) {
        return decoder.decode(Message.binary(HEX.parseHex(hex))).orElseThrow();
    }

    @Nested
    class EncodesAsTheNpmParser {
        // {type: 2, data: ['hello', 1, 2.5, true, null, {a: 'b'}], nsp: '/'}
        @Test
        void event() throws Exception {
            assertThat(encodeHex(new Packet(PacketType.EVENT, "/", json("[\"hello\",1,2.5,true,null,{\"a\":\"b\"}]"))))
                    .isEqualTo("83a47479706502a46461746196a568656c6c6f01cb4004000000000000c3c081a161a162a36e7370a12f");
        }

        // {type: 2, data: ['bin', Buffer.from([1, 2, 3])], nsp: '/chat', id: 7}
        @Test
        void binaryEventWithAckIdKeepsTheBinaryInPlace() {
            var data = NODES.arrayNode().add("bin").add(new byte[] {1, 2, 3});
            String expected = "84a47479706502a46461746192a362696ec403010203a36e7370a52f63686174a2696407";
            assertThat(encodeHex(new Packet(PacketType.BINARY_EVENT, "/chat", data, 7)))
                    .isEqualTo(expected);
            // The type the caller gives does not matter: there are no attachments on this wire.
            assertThat(encodeHex(new Packet(PacketType.EVENT, "/chat", data, 7)))
                    .isEqualTo(expected);
        }

        // {type: 0, data: {sid: 'abc'}, nsp: '/'}
        @Test
        void connect() throws Exception {
            assertThat(encodeHex(new Packet(PacketType.CONNECT, "/", json("{\"sid\":\"abc\"}"))))
                    .isEqualTo("83a47479706500a46461746181a3736964a3616263a36e7370a12f");
        }

        // {type: 1, nsp: '/chat'}
        @Test
        void disconnectHasNoData() {
            assertThat(encodeHex(Packet.of(PacketType.DISCONNECT, "/chat")))
                    .isEqualTo("82a47479706501a36e7370a52f63686174");
        }

        // {type: 3, data: ['ok'], nsp: '/', id: 12}
        @Test
        void ack() throws Exception {
            assertThat(encodeHex(new Packet(PacketType.ACK, "/", json("[\"ok\"]"), 12)))
                    .isEqualTo("84a47479706503a46461746191a26f6ba36e7370a12fa269640c");
            assertThat(encodeHex(new Packet(PacketType.BINARY_ACK, "/", json("[\"ok\"]"), 12)))
                    .isEqualTo("84a47479706503a46461746191a26f6ba36e7370a12fa269640c");
        }

        // {type: 4, data: {message: 'Invalid namespace'}, nsp: '/x'}
        @Test
        void connectError() throws Exception {
            assertThat(encodeHex(
                            new Packet(PacketType.CONNECT_ERROR, "/x", json("{\"message\":\"Invalid namespace\"}"))))
                    .isEqualTo(
                            "83a47479706504a46461746181a76d657373616765b1496e76616c6964206e616d657370616365a36e7370a22f78");
        }

        // {type: 2, data: ['n', 70000, -5, -200, 4294967296, 0.1, 'a string of exactly forty characters....'], nsp:
        // '/'}
        @Test
        void numbersAndLongStringsTakeNotepacksForms() throws Exception {
            var data = json("[\"n\",70000,-5,-200,4294967296,0.1,\"a string of exactly forty characters....\"]");
            assertThat(encodeHex(new Packet(PacketType.EVENT, "/", data)))
                    .isEqualTo(
                            "83a47479706502a46461746197a16ece00011170fbd1ff38cf0000000100000000cb3fb999999999999a"
                                    + "d9286120737472696e67206f662065786163746c7920666f72747920636861726163746572732e2e2e2ea36e7370a12f");
        }

        @Test
        void wholeDoublesAreIntegersAsInJavaScript() {
            var data = NODES.arrayNode().add("n").add(3.0);
            assertThat(encodeHex(new Packet(PacketType.EVENT, "/", data))).contains("92a16e03");
        }
    }

    @Nested
    class DecodesWhatTheNpmClientSends {
        // {type: 2, data: ['up', Buffer.from([9])], options: {compress: true}, id: 3, nsp: '/'}:
        // socket.io-client adds "options" to every packet it sends.
        @Test
        void eventWithAckIdAndBinaryIgnoringOptions() {
            Packet p = decodeHex(
                    "85a47479706502a46461746192a27570c40109a76f7074696f6e7381a8636f6d7072657373c3a2696403a36e7370a12f");
            assertThat(p.type()).isEqualTo(PacketType.EVENT);
            assertThat(p.nsp()).isEqualTo("/");
            assertThat(p.id()).isEqualTo(3);
            assertThat(p.data().get(0).textValue()).isEqualTo("up");
            assertThat(p.data().get(1).isBinary()).isTrue();
            assertThat(p.data().get(1)).isEqualTo(NODES.binaryNode(new byte[] {9}));
        }

        // {type: 2, data: ['ab', new Uint8Array([9, 8]).buffer], options: {compress: true}, nsp: '/'}:
        // notepack 2.2 writes an ArrayBuffer (not a Buffer) as ext type 0.
        @Test
        void arrayBufferExtIsBinary() {
            Packet p = decodeHex(
                    "84a47479706502a46461746192a26162c702000908a76f7074696f6e7381a8636f6d7072657373c3a36e7370a12f");
            assertThat(p.data().get(1)).isEqualTo(NODES.binaryNode(new byte[] {9, 8}));
            assertThat(p.hasId()).isFalse();
        }

        // {type: 0, data: undefined, nsp: '/'}: a connect without auth
        @Test
        void connectWithUndefinedAuthHasNoData() {
            Packet p = decodeHex("83a47479706500a464617461d40000a36e7370a12f");
            assertThat(p.type()).isEqualTo(PacketType.CONNECT);
            assertThat(p.hasData()).isFalse();
        }

        // {type: 2, data: ['d', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))], nsp: '/'}: notepack 2's Date
        @Test
        void dateBecomesItsIsoString() {
            Packet p = decodeHex("83a47479706502a46461746192a164d7000000018cc820db2ea36e7370a12f");
            assertThat(p.data().get(1).textValue()).isEqualTo("2024-01-02T03:04:05.678Z");
        }

        @Test
        void everyEncodedPacketDecodesToItself() throws Exception {
            var data = NODES.arrayNode().add("e").add(new byte[] {1, 2}).add(json("{\"k\":[1,\"x\",null]}"));
            for (Packet p : List.of(
                    new Packet(PacketType.EVENT, "/a", data, 5),
                    new Packet(PacketType.ACK, "/", json("[1,2]"), 0),
                    Packet.of(PacketType.DISCONNECT, "/b"),
                    new Packet(PacketType.CONNECT, "/", json("{\"token\":\"t\"}")))) {
                Packet back = decoder.decode(parser.encode(p).get(0)).orElseThrow();
                assertThat(back).isEqualTo(p);
            }
        }
    }

    @Nested
    class RefusesMalformedPackets {
        private void refused(String hex, String why) {
            assertThatThrownBy(() -> decodeHex(hex))
                    .isInstanceOf(MalformedPacketException.class)
                    .hasMessage(why);
        }

        @Test
        void textMessage() {
            assertThatThrownBy(() -> decoder.decode(Message.text("2[\"a\"]")))
                    .isInstanceOf(MalformedPacketException.class);
        }

        @Test
        void notMessagePack() {
            refused("c1", "invalid MessagePack");
            refused("83a474797065", "invalid MessagePack");
        }

        @Test
        void notAMap() {
            refused("92a16101", "packet is not a map");
        }

        @Test
        void binaryTypesAndUnknownTypesDoNotExistOnThisWire() {
            // {type: 5, data: ['a'], nsp: '/'}
            refused("83a47479706505a46461746191a161a36e7370a12f", "invalid packet type");
            // {type: '2', data: ['a'], nsp: '/'}
            refused("83a4747970 65a132a46461746191a161a36e7370a12f".replace(" ", ""), "invalid packet type");
        }

        @Test
        void missingNamespace() {
            // {type: 2, data: ['a']}
            refused("82a47479706502a46461746191a161", "invalid namespace");
        }

        @Test
        void badAckIds() {
            // {type: 2, data: ['a'], nsp: '/', id: -1}
            refused("84a47479706502a46461746191a161a36e7370a12fa26964ff", "invalid packet id");
            // {type: 2, data: ['a'], nsp: '/', id: 1.5}
            refused("84a47479706502a46461746191a161a36e7370a12fa26964cb3ff8000000000000", "invalid packet id");
        }

        @Test
        void payloadRulesOfTheDefaultParser() {
            // {type: 2, data: {}, nsp: '/'}
            refused("83a47479706502a46461746180a36e7370a12f", "invalid payload");
            // {type: 2, data: ['connect'], nsp: '/'}: a reserved event name
            refused("83a47479706502a46461746191a7636f6e6e656374a36e7370a12f", "invalid payload");
            // {type: 1, data: ['a'], nsp: '/'}
            refused("83a47479706501a46461746191a161a36e7370a12f", "invalid payload");
        }

        @Test
        void longNamespace() {
            Parser.Decoder strict = parser.newDecoder(
                    SocketIoOptions.builder().maxNamespaceLength(3).build());
            byte[] packet =
                    parser.encode(Packet.of(PacketType.CONNECT, "/long")).get(0).binary();
            assertThatThrownBy(() -> strict.decode(Message.binary(packet)))
                    .isInstanceOf(MalformedPacketException.class)
                    .hasMessage("namespace name too long");
        }

        @Test
        void deepNestingIsRefusedInsteadOfOverflowingTheStack() {
            byte[] deep = new byte[1_000_000];
            Arrays.fill(deep, (byte) 0x91);
            assertThatThrownBy(() -> decoder.decode(Message.binary(deep)))
                    .isInstanceOf(MalformedPacketException.class)
                    .hasMessage("invalid MessagePack");
        }
    }

    @Test
    void theDefaultParserIsSocketIoParser() {
        assertThat(SocketIoOptions.defaults().parser()).isSameAs(Parser.standard());
        assertThat(Parser.standard()
                        .encode(new Packet(
                                PacketType.EVENT, "/", NODES.arrayNode().add("a"))))
                .containsExactly(Message.text("2[\"a\"]"));
    }
}
