package dev.herald.engineio.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engineio.Message;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Polling payloads: packets joined by the record separator, binary as base64. */
class PayloadCodecTest {

    @Test
    void decodesThePayloadsOfTheSpec() {
        assertThat(PayloadCodec.decode("4hello")).containsExactly(Packet.message(Message.text("hello")));
        assertThat(PayloadCodec.decode("4test1\u001e4test2\u001e4test3"))
                .containsExactly(
                        Packet.message(Message.text("test1")),
                        Packet.message(Message.text("test2")),
                        Packet.message(Message.text("test3")));
        List<Packet> mixed = PayloadCodec.decode("4hello\u001ebAQIDBA==");
        assertThat(mixed).hasSize(2);
        assertThat(mixed.get(0).message().orElseThrow().text()).isEqualTo("hello");
        assertThat(mixed.get(1).message().orElseThrow().binary()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void encodesInOrderWithSeparators() {
        assertThat(PayloadCodec.encode(List.of(
                        Packet.message(Message.text("hello")),
                        Packet.message(Message.binary(new byte[] {1, 2, 3, 4})),
                        Packet.PING)))
                .isEqualTo("4hello\u001ebAQIDBA==\u001e2");
        assertThat(PayloadCodec.encode(List.of(Packet.NOOP))).isEqualTo("6");
    }

    @Test
    void roundTripsUtf8Bytes() {
        byte[] body = "4é\u001e4😀".getBytes(StandardCharsets.UTF_8);
        assertThat(PayloadCodec.encode(PayloadCodec.decode(body))).isEqualTo("4é\u001e4😀");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\u001e", "4a\u001e", "\u001e4a", "4a\u001e\u001e4b", "4a\u001exyz", "b!"})
    void malformedPayloadsAreMalformedPacketExceptions(String payload) {
        assertThatThrownBy(() -> PayloadCodec.decode(payload)).isExactlyInstanceOf(MalformedPacketException.class);
    }

    @Test
    void invalidUtf8IsMalformed() {
        assertThatThrownBy(() -> PayloadCodec.decode(new byte[] {'4', (byte) 0xC3, (byte) 0x28}))
                .isExactlyInstanceOf(MalformedPacketException.class);
    }

    @Test
    void aHugePayloadOfManyPacketsDecodesWithoutAnyOtherException() {
        String payload = String.join("\u001e", Collections.nCopies(10_000, "4x"));
        assertThat(PayloadCodec.decode(payload)).hasSize(10_000);
    }
}
