package dev.herald.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.engineio.Message;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderTest {

    private final PacketDecoder decoder = new PacketDecoder(10);

    private Packet decode(String text) throws PacketParseException {
        Optional<Packet> p = decoder.decode(Message.text(text));
        assertThat(p).isPresent();
        return p.get();
    }

    @Nested
    class Connect {
        @Test
        void mainNamespaceWithoutPayload() throws Exception {
            Packet p = decode("0");
            assertThat(p.type()).isEqualTo(PacketType.CONNECT);
            assertThat(p.nsp()).isEqualTo("/");
            assertThat(p.hasData()).isFalse();
            assertThat(p.hasId()).isFalse();
        }

        @Test
        void mainNamespaceWithAuthPayload() throws Exception {
            Packet p = decode("0{\"token\":\"123\"}");
            assertThat(p.nsp()).isEqualTo("/");
            assertThat(p.data().get("token").asText()).isEqualTo("123");
        }

        @Test
        void customNamespaceWithTrailingComma() throws Exception {
            Packet p = decode("0/custom,");
            assertThat(p.nsp()).isEqualTo("/custom");
            assertThat(p.hasData()).isFalse();
        }

        @Test
        void customNamespaceWithoutTrailingCommaAtTheEnd() throws Exception {
            Packet p = decode("0/random");
            assertThat(p.type()).isEqualTo(PacketType.CONNECT);
            assertThat(p.nsp()).isEqualTo("/random");
        }

        @Test
        void customNamespaceWithPayload() throws Exception {
            Packet p = decode("0/custom,{\"token\":\"abc\"}");
            assertThat(p.nsp()).isEqualTo("/custom");
            assertThat(p.data().get("token").asText()).isEqualTo("abc");
        }

        @Test
        void connectWithArrayPayloadIsRefused() {
            assertThatThrownBy(() -> decode("0[1]")).isInstanceOf(PacketParseException.class);
        }
    }

    @Nested
    class Events {
        @Test
        void plainEvent() throws Exception {
            Packet p = decode("2[\"message\",1,\"2\",{\"3\":[true]}]");
            assertThat(p.type()).isEqualTo(PacketType.EVENT);
            assertThat(p.data().size()).isEqualTo(4);
            assertThat(p.data().get(0).asText()).isEqualTo("message");
        }

        @Test
        void eventWithAckId() throws Exception {
            Packet p = decode("2456[\"message-with-ack\",1]");
            assertThat(p.id()).isEqualTo(456);
            assertThat(p.data().get(1).asInt()).isEqualTo(1);
        }

        @Test
        void eventInNamespaceWithAckId() throws Exception {
            Packet p = decode("2/admin,12[\"x\"]");
            assertThat(p.nsp()).isEqualTo("/admin");
            assertThat(p.id()).isEqualTo(12);
        }

        @Test
        void ackPacket() throws Exception {
            Packet p = decode("3/admin,13[\"bar\"]");
            assertThat(p.type()).isEqualTo(PacketType.ACK);
            assertThat(p.id()).isEqualTo(13);
            assertThat(p.data().get(0).asText()).isEqualTo("bar");
        }

        @Test
        void disconnectPacket() throws Exception {
            Packet p = decode("1/admin,");
            assertThat(p.type()).isEqualTo(PacketType.DISCONNECT);
            assertThat(p.nsp()).isEqualTo("/admin");
        }

        @Test
        void numericEventNameIsAccepted() throws Exception {
            assertThat(decode("2[1,2]").data().get(0).asInt()).isEqualTo(1);
        }
    }

    @Nested
    class Binary {
        @Test
        void eventWaitsForItsAttachmentsThenPutsThemInPlace() throws Exception {
            assertThat(
                            decoder.decode(
                                    Message.text(
                                            "52-[\"message\",{\"_placeholder\":true,\"num\":0},{\"a\":[{\"_placeholder\":true,\"num\":1}]}]")))
                    .isEmpty();
            assertThat(decoder.decode(Message.binary(new byte[] {1, 2, 3}))).isEmpty();
            Packet p = decoder.decode(Message.binary(new byte[] {4, 5, 6})).orElseThrow();
            assertThat(p.type()).isEqualTo(PacketType.BINARY_EVENT);
            assertThat(p.data().get(1).binaryValue()).containsExactly(1, 2, 3);
            assertThat(p.data().get(2).get("a").get(0).binaryValue()).containsExactly(4, 5, 6);
        }

        @Test
        void ackWithAttachmentsAndId() throws Exception {
            assertThat(decoder.decode(Message.text("61-789[{\"_placeholder\":true,\"num\":0}]")))
                    .isEmpty();
            Packet p = decoder.decode(Message.binary(new byte[] {9})).orElseThrow();
            assertThat(p.type()).isEqualTo(PacketType.BINARY_ACK);
            assertThat(p.id()).isEqualTo(789);
            assertThat(p.data().get(0).binaryValue()).containsExactly(9);
        }

        @Test
        void binaryMessageOutsideAPacketIsAnError() {
            assertThatThrownBy(() -> decoder.decode(Message.binary(new byte[] {1})))
                    .isInstanceOf(PacketParseException.class);
        }

        @Test
        void textWhileWaitingForAttachmentsIsAnError() throws Exception {
            decoder.decode(Message.text("51-[\"m\",{\"_placeholder\":true,\"num\":0}]"));
            assertThatThrownBy(() -> decoder.decode(Message.text("2[\"x\"]"))).isInstanceOf(PacketParseException.class);
        }

        @Test
        void moreAttachmentsThanAllowedIsAnError() {
            PacketDecoder strict = new PacketDecoder(2);
            assertThatThrownBy(() -> strict.decode(Message.text("53-[\"m\"]"))).hasMessage("too many attachments");
        }

        @Test
        void placeholderNumberOutOfRangeIsAnError() throws Exception {
            decoder.decode(Message.text("51-[\"m\",{\"_placeholder\":true,\"num\":3}]"));
            assertThatThrownBy(() -> decoder.decode(Message.binary(new byte[] {1})))
                    .isInstanceOf(PacketParseException.class);
        }
    }

    @Nested
    class Malformed {
        @ParameterizedTest
        @ValueSource(
                strings = {
                    "abc",
                    "",
                    "7[\"x\"]",
                    "2{}",
                    "2\"text\"",
                    "2abc[\"message-with-ack\",1]",
                    "2[\"x\"",
                    "2[]",
                    "2[\"disconnect\"]",
                    "2[\"connect\"]",
                    "2[null]",
                    "1{\"a\":1}",
                    "5x-[\"m\"]",
                    "5-[\"m\"]",
                    "51[\"m\"]",
                    "3{}",
                    "2/nsp,abc"
                })
        void isAParseError(String wire) {
            assertThatThrownBy(() -> new PacketDecoder(10).decode(Message.text(wire)))
                    .isInstanceOf(PacketParseException.class);
        }
    }

    @Test
    void decoderIsReusableAfterAPacket() throws Exception {
        decode("2[\"a\"]");
        JsonNode second = decode("2[\"b\"]").data();
        assertThat(second.get(0).asText()).isEqualTo("b");
    }
}
