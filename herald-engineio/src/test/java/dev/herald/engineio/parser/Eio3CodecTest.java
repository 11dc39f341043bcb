package dev.herald.engineio.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engineio.Message;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Engine.IO v3 encodings, from the v3 spec's examples. */
class Eio3CodecTest {

    static Packet text(String s) {
        return Packet.message(Message.text(s));
    }

    @Nested
    class TextPayload {
        @Test
        void lengthsCountUtf16UnitsAsJavaScriptDoes() {
            assertThat(Eio3Codec.encodeTextPayload(List.of(text("hello"), text("€"))))
                    .isEqualTo("6:4hello2:4€");
            assertThat(Eio3Codec.encodeTextPayload(List.of(text("😀")))).isEqualTo("3:4😀");
        }

        @Test
        void binaryIsB4PlusBase64() {
            assertThat(Eio3Codec.encodeTextPayload(List.of(Packet.message(Message.binary(new byte[] {1, 2, 3, 4})))))
                    .isEqualTo("10:b4AQIDBA==");
        }

        @Test
        void decodesWhatItEncodes() {
            List<Packet> packets = Eio3Codec.decodeTextPayload("6:4hello2:4€10:b4AQIDBA==1:2");
            assertThat(packets).hasSize(4);
            assertThat(packets.get(0)).isEqualTo(text("hello"));
            assertThat(packets.get(1)).isEqualTo(text("€"));
            assertThat(packets.get(2).message().orElseThrow().binary()).containsExactly(1, 2, 3, 4);
            assertThat(packets.get(3)).isEqualTo(Packet.PING);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "4hello", "6:4hell", "x:4a", ":4a", "1:", "2:4a1", "99999999999:4", "3:b5A", "1:9"})
        void malformedTextPayloadsAreRefused(String payload) {
            assertThatThrownBy(() -> Eio3Codec.decodeTextPayload(payload))
                    .isExactlyInstanceOf(MalformedPacketException.class);
        }
    }

    @Nested
    class BinaryPayload {
        @Test
        void encodesStringAndBinaryPacketsWithMarkersAndDigitLengths() {
            byte[] encoded = Eio3Codec.encodeBinaryPayload(
                    List.of(text("€"), Packet.message(Message.binary(new byte[] {1, 2}))));
            // 0 (string), length 4 = '4' + 3 UTF-8 bytes of €, 255, "4€"; 1 (binary), length 3, 255, 4 1 2
            assertThat(encoded).containsExactly(0, 4, 255, '4', 0xE2, 0x82, 0xAC, 1, 3, 255, 4, 1, 2);
        }

        @Test
        void multiDigitLengthsAreOneByteEachDigit() {
            byte[] encoded = Eio3Codec.encodeBinaryPayload(List.of(text("x".repeat(11))));
            assertThat(encoded[0]).isEqualTo((byte) 0);
            assertThat(encoded[1]).isEqualTo((byte) 1);
            assertThat(encoded[2]).isEqualTo((byte) 2);
            assertThat(encoded[3]).isEqualTo((byte) 255);
        }

        @Test
        void roundTrips() {
            List<Packet> in = List.of(
                    Packet.of(PacketType.OPEN, "{\"sid\":\"a\"}"),
                    text("é"),
                    Packet.message(Message.binary(new byte[] {0, (byte) 255})),
                    Packet.NOOP);
            assertThat(Eio3Codec.decodeBinaryPayload(Eio3Codec.encodeBinaryPayload(in)))
                    .isEqualTo(in);
        }

        @Test
        void decodesTheBytesA136BrowserClientPostsForAnArrayBufferAttachment() {
            // Captured from socket.io-client 1.3.6's engine.io-parser 1.2.1 (browser.js,
            // encodePayloadAsArrayBuffer) for an emit of a 12-byte ArrayBuffer that holds 0xff and 0x00.
            byte[] wire = HexFormat.of()
                    .parseHex("000402ff343435312d5b2262696e222c7b225f706c616365686f6c646572223a74727565"
                            + "2c226e756d223a307d5d" + "010103ff04" + "ff000708090a0b0c0d0e0ffe");
            List<Packet> packets = Eio3Codec.decodeBinaryPayload(wire);
            assertThat(packets).hasSize(2);
            assertThat(packets.get(0)).isEqualTo(text("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]"));
            assertThat(packets.get(1).message().orElseThrow().binary())
                    .isEqualTo(HexFormat.of().parseHex("ff000708090a0b0c0d0e0ffe"));
        }

        @Test
        void malformedBinaryPayloadsAreRefused() {
            for (byte[] bad : new byte[][] {
                {},
                {2, 1, (byte) 255, '4'},
                {0, 5, (byte) 255, '4'},
                {0, (byte) 255, '4'},
                {0, 1},
                {0, 12, (byte) 255, '4'},
                {1, 1, (byte) 255, 5},
                {0, 1, (byte) 255, (byte) 0xC3}
            }) {
                assertThatThrownBy(() -> Eio3Codec.decodeBinaryPayload(bad))
                        .isExactlyInstanceOf(MalformedPacketException.class);
            }
        }
    }

    @Test
    void webSocketBinaryFramesCarryTheTypeByte() {
        assertThat(Eio3Codec.encodeWebSocketBinary(new byte[] {1, 2})).containsExactly(4, 1, 2);
        assertThat(Eio3Codec.decodeWebSocketBinary(new byte[] {4, 1, 2})
                        .message()
                        .orElseThrow()
                        .binary())
                .containsExactly(1, 2);
        // A 1.3.6 browser client's frame for the same ArrayBuffer (browser.js encodePacket).
        assertThat(Eio3Codec.decodeWebSocketBinary(HexFormat.of().parseHex("04ff000708090a0b0c0d0e0ffe"))
                        .message()
                        .orElseThrow()
                        .binary())
                .isEqualTo(HexFormat.of().parseHex("ff000708090a0b0c0d0e0ffe"));
        assertThatThrownBy(() -> Eio3Codec.decodeWebSocketBinary(new byte[] {}))
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> Eio3Codec.decodeWebSocketBinary(new byte[] {1, 2}))
                .isInstanceOf(MalformedPacketException.class);
    }
}
