package dev.herald.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MsgPackTest {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final ObjectMapper JSON = new ObjectMapper();

    static String hex(JsonNode node) {
        return HexFormat.of().formatHex(MsgPack.encode(node));
    }

    static JsonNode decode(String hex) {
        return MsgPack.decode(HexFormat.of().parseHex(hex));
    }

    @Nested
    class EncodesAsNotepack {

        @Test
        void integersTakeTheSmallestForm() {
            assertThat(hex(NODES.numberNode(0))).isEqualTo("00");
            assertThat(hex(NODES.numberNode(127))).isEqualTo("7f");
            assertThat(hex(NODES.numberNode(128))).isEqualTo("cc80");
            assertThat(hex(NODES.numberNode(256))).isEqualTo("cd0100");
            assertThat(hex(NODES.numberNode(65536))).isEqualTo("ce00010000");
            assertThat(hex(NODES.numberNode(1L << 32))).isEqualTo("cf0000000100000000");
            assertThat(hex(NODES.numberNode(-1))).isEqualTo("ff");
            assertThat(hex(NODES.numberNode(-32))).isEqualTo("e0");
            assertThat(hex(NODES.numberNode(-33))).isEqualTo("d0df");
            assertThat(hex(NODES.numberNode(-129))).isEqualTo("d1ff7f");
            assertThat(hex(NODES.numberNode(-32769))).isEqualTo("d2ffff7fff");
            assertThat(hex(NODES.numberNode(-(1L << 32)))).isEqualTo("d3ffffffff00000000");
        }

        @Test
        void wholeDoublesAreIntegersAndOthersFloat64() {
            assertThat(hex(NODES.numberNode(2.0))).isEqualTo("02");
            assertThat(hex(NODES.numberNode(-0.0))).isEqualTo("00");
            assertThat(hex(NODES.numberNode(0.5))).isEqualTo("cb3fe0000000000000");
            assertThat(hex(NODES.numberNode(Double.NaN))).isEqualTo("cb7ff8000000000000");
        }

        @Test
        void stringsUseFixStr8AndStr16() {
            assertThat(hex(NODES.textNode("a"))).isEqualTo("a161");
            assertThat(hex(NODES.textNode("x".repeat(32)))).startsWith("d920");
            assertThat(hex(NODES.textNode("x".repeat(256)))).startsWith("da0100");
            assertThat(hex(NODES.textNode("é"))).isEqualTo("a2c3a9");
        }

        @Test
        void binaryUsesBin() {
            assertThat(hex(NODES.binaryNode(new byte[] {1, 2}))).isEqualTo("c4020102");
            assertThat(hex(NODES.binaryNode(new byte[256]))).startsWith("c50100");
        }

        @Test
        void mapsArraysAndConstantsKeepTheirOrder() throws Exception {
            assertThat(hex(JSON.readTree("{\"b\":true,\"a\":[null,false]}"))).isEqualTo("82a162c3a16192c0c2");
            assertThat(hex(JSON.readTree("[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]")))
                    .startsWith("dc0010");
        }
    }

    @Nested
    class Decodes {

        @Test
        void whatItEncodes() throws Exception {
            var tree = JSON.readTree(
                    "{\"type\":2,\"data\":[\"e\",-5,300,-70000,1.5,\"" + "y".repeat(40) + "\"],\"nsp\":\"/\"}");
            assertThat(MsgPack.decode(MsgPack.encode(tree))).isEqualTo(tree);
            var binary = NODES.binaryNode(new byte[] {9, 8, 7});
            assertThat(MsgPack.decode(MsgPack.encode(binary))).isEqualTo(binary);
        }

        @Test
        void float32AndUint64() {
            assertThat(decode("ca3fc00000").doubleValue()).isEqualTo(1.5);
            assertThat(decode("cfffffffffffffffff").bigIntegerValue().toString())
                    .isEqualTo("18446744073709551615");
        }

        @Test
        void notepackUndefinedIsDroppedFromMapsAndNullInArrays() {
            assertThat(decode("82a161d40000a16201").toString()).isEqualTo("{\"b\":1}");
            assertThat(decode("91d40000").toString()).isEqualTo("[null]");
        }

        @Test
        void aOneByteArrayBufferIsBinaryNotUndefined() {
            // notepack writes an ArrayBuffer as ext 8 even when short; only fixext 1 is undefined.
            assertThat(decode("91c7010009")).isEqualTo(NODES.arrayNode().add(new byte[] {9}));
        }

        @Test
        void timestampsBecomeIsoStrings() {
            assertThat(decode("d6ff00000001").asText()).isEqualTo("1970-01-01T00:00:01Z");
        }

        @Test
        void refusesTruncatedAndTrailingInput() {
            assertThatThrownBy(() -> decode("a361")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> decode("dd7fffffff")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> decode("0101")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> decode("c1")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
