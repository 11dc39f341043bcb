package dev.herald.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.Message;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacketEncoderTest {

    record WithBytes(String name, byte[] blob) {}

    @Test
    void connectReplyForMainNamespace() {
        Packet p = new Packet(PacketType.CONNECT, "/", Json.toTree(Map.of("sid", "abc")));
        assertThat(PacketEncoder.encode(p)).containsExactly(Message.text("0{\"sid\":\"abc\"}"));
    }

    @Test
    void connectErrorForCustomNamespace() {
        Packet p = new Packet(PacketType.CONNECT_ERROR, "/random", Json.toTree(Map.of("message", "Invalid namespace")));
        assertThat(PacketEncoder.encode(p))
                .containsExactly(Message.text("4/random,{\"message\":\"Invalid namespace\"}"));
    }

    @Test
    void eventWithAckIdInNamespace() {
        Packet p = new Packet(PacketType.EVENT, "/admin", Json.arrayOf(new Object[] {"hello", 1}), 12);
        assertThat(PacketEncoder.encode(p)).containsExactly(Message.text("2/admin,12[\"hello\",1]"));
    }

    @Test
    void disconnectWithoutPayload() {
        assertThat(PacketEncoder.encode(Packet.of(PacketType.DISCONNECT, "/admin")))
                .containsExactly(Message.text("1/admin,"));
    }

    @Test
    void binaryAnywhereBecomesPlaceholdersAndAttachmentsInOrder() {
        Packet p = new Packet(PacketType.EVENT, "/", Json.arrayOf(new Object[] {
            "message",
            new byte[] {1, 2, 3},
            List.of(Map.of("b", ByteBuffer.wrap(new byte[] {4, 5}))),
            new WithBytes("r", new byte[] {6})
        }));
        List<Message> out = PacketEncoder.encode(p);
        assertThat(out).hasSize(4);
        assertThat(out.get(0).text())
                .isEqualTo(
                        "53-[\"message\",{\"_placeholder\":true,\"num\":0},"
                                + "[{\"b\":{\"_placeholder\":true,\"num\":1}}],{\"name\":\"r\",\"blob\":{\"_placeholder\":true,\"num\":2}}]");
        assertThat(out.get(1).binary()).containsExactly(1, 2, 3);
        assertThat(out.get(2).binary()).containsExactly(4, 5);
        assertThat(out.get(3).binary()).containsExactly(6);
    }

    @Test
    void ackWithBinaryIsBinaryAck() {
        Packet p = new Packet(PacketType.ACK, "/", Json.arrayOf(new Object[] {new byte[] {1}}), 789);
        assertThat(PacketEncoder.encode(p).get(0).text()).isEqualTo("61-789[{\"_placeholder\":true,\"num\":0}]");
    }

    @Test
    void encodedBinaryDecodesBackToTheSameTree() throws Exception {
        Packet p =
                new Packet(PacketType.EVENT, "/x", Json.arrayOf(new Object[] {"e", Map.of("k", new byte[] {7, 8})}), 3);
        PacketDecoder decoder = new PacketDecoder(10);
        Packet back = null;
        for (Message m : PacketEncoder.encode(p)) {
            back = decoder.decode(m).orElse(null);
        }
        assertThat(back).isNotNull();
        assertThat(back.type()).isEqualTo(PacketType.BINARY_EVENT);
        assertThat(back.data()).isEqualTo(p.data());
        assertThat(back.id()).isEqualTo(3);
    }

    @Test
    void recordWithBytesReadsBackFromTheTree() throws Exception {
        WithBytes value = Json.MAPPER.treeToValue(Json.toTree(new WithBytes("n", new byte[] {1, 2})), WithBytes.class);
        assertThat(value.blob()).containsExactly(1, 2);
    }
}
