package dev.herald.engineio.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engineio.Message;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Literal wire strings from the Engine.IO v4 spec. */
class PacketCodecTest {

    @Nested
    class Decoding {
        @Test
        void decodesEachControlType() {
            assertThat(PacketCodec.decodeText("0{\"sid\":\"x\"}"))
                    .isEqualTo(Packet.of(PacketType.OPEN, "{\"sid\":\"x\"}"));
            assertThat(PacketCodec.decodeText("1")).isEqualTo(Packet.CLOSE);
            assertThat(PacketCodec.decodeText("2")).isEqualTo(Packet.PING);
            assertThat(PacketCodec.decodeText("3")).isEqualTo(Packet.PONG);
            assertThat(PacketCodec.decodeText("5")).isEqualTo(Packet.UPGRADE);
            assertThat(PacketCodec.decodeText("6")).isEqualTo(Packet.NOOP);
        }

        @Test
        void decodesTheProbePair() {
            assertThat(PacketCodec.decodeText("2probe")).isEqualTo(Packet.PING_PROBE);
            assertThat(PacketCodec.decodeText("3probe")).isEqualTo(Packet.PONG_PROBE);
        }

        @Test
        void decodesATextMessageIncludingEmptyAndUnicode() {
            assertThat(PacketCodec.decodeText("4hello").message()).contains(Message.text("hello"));
            assertThat(PacketCodec.decodeText("4").message()).contains(Message.text(""));
            assertThat(PacketCodec.decodeText("4€😀").message()).contains(Message.text("€😀"));
        }

        @Test
        void decodesABase64BinaryMessage() {
            Packet p = PacketCodec.decodeText("bAQIDBA==");
            assertThat(p.type()).isEqualTo(PacketType.MESSAGE);
            assertThat(p.message().orElseThrow().binary()).containsExactly(1, 2, 3, 4);
        }

        @Test
        void aBinaryFrameIsABinaryMessageWithNoPrefix() {
            Packet p = PacketCodec.decodeBinary(new byte[] {1, 2, 3, 4});
            assertThat(p.isBinary()).isTrue();
            assertThat(p.message().orElseThrow().binary()).containsExactly(1, 2, 3, 4);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "abc", "7", "9x", "-1", " 4", "b***", "b=AQID"})
        void malformedInputIsAMalformedPacketException(String input) {
            assertThatThrownBy(() -> PacketCodec.decodeText(input)).isExactlyInstanceOf(MalformedPacketException.class);
        }
    }

    @Nested
    class Encoding {
        @Test
        void encodesTextForms() {
            assertThat(PacketCodec.encodeText(Packet.message(Message.text("hello"))))
                    .isEqualTo("4hello");
            assertThat(PacketCodec.encodeText(Packet.PING)).isEqualTo("2");
            assertThat(PacketCodec.encodeText(Packet.PONG_PROBE)).isEqualTo("3probe");
            assertThat(PacketCodec.encodeText(Packet.NOOP)).isEqualTo("6");
        }

        @Test
        void encodesBinaryAsBase64InText() {
            assertThat(PacketCodec.encodeText(Packet.message(Message.binary(new byte[] {1, 2, 3, 4}))))
                    .isEqualTo("bAQIDBA==");
        }

        @Test
        void webSocketTextOfAMessageIsTheMessagesCachedFrame() {
            Message m = Message.text("hi ✓");
            byte[] first = PacketCodec.webSocketText(Packet.message(m));
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("4hi ✓");
            assertThat(PacketCodec.webSocketText(Packet.message(m))).isSameAs(first);
        }

        @Test
        void roundTripsEveryPacketType() {
            for (String wire : new String[] {"0{}", "1", "2", "2probe", "3", "3probe", "4x", "5", "6", "bAA=="}) {
                assertThat(PacketCodec.encodeText(PacketCodec.decodeText(wire))).isEqualTo(wire);
            }
        }
    }
}
