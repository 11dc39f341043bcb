package dev.herald.engineio.parser;

import static dev.herald.engineio.fuzz.FuzzHarness.bound;
import static dev.herald.engineio.fuzz.FuzzHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.fuzz.FuzzHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of the Engine.IO decoders (v4 and v3) with jqwik: random strings and bytes, and mutations
 * of the seed corpus in {@code src/test/resources/fuzz/}. Every input either decodes or is refused
 * with {@link MalformedPacketException}, within {@link FuzzHarness#TIMEOUT} and a few copies of the
 * input in allocation; what decodes re-encodes to something that decodes to the same packets.
 *
 * <p>Tries per property: {@code jqwik.tries.default} ({@code -Dherald.fuzz.tries=N} through Maven).
 */
class DecoderFuzzTest {

    @Provide
    Arbitrary<String> v4Packets() {
        return Arbitraries.oneOf(
                FuzzHarness.mutated(FuzzHarness.textSeeds("eio4-packets.txt")),
                FuzzHarness.interestingStrings(64),
                Arbitraries.strings().all().ofMaxLength(256));
    }

    @Provide
    Arbitrary<String> v4Payloads() {
        return Arbitraries.oneOf(
                FuzzHarness.mutated(FuzzHarness.textSeeds("eio4-payloads.txt")), FuzzHarness.interestingStrings(64));
    }

    @Provide
    Arbitrary<String> v3Packets() {
        return Arbitraries.oneOf(
                FuzzHarness.mutated(FuzzHarness.textSeeds("eio3-packets.txt")), FuzzHarness.interestingStrings(64));
    }

    @Provide
    Arbitrary<String> v3Payloads() {
        return Arbitraries.oneOf(
                FuzzHarness.mutated(FuzzHarness.textSeeds("eio3-payloads.txt")), FuzzHarness.interestingStrings(64));
    }

    @Provide
    Arbitrary<byte[]> v3BinaryPayloads() {
        return Arbitraries.oneOf(
                FuzzHarness.mutatedBytes(FuzzHarness.hexSeeds("eio3-binary-payloads.hex")),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(128));
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(256),
                v4Payloads().map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void v4PacketDecodesOrIsMalformed(@ForAll("v4Packets") String input) {
        var out = run(() -> PacketCodec.decodeText(input), MalformedPacketException.class, bound(input.length()));
        if (out.decoded()) {
            assertThat(PacketCodec.decodeText(PacketCodec.encodeText(out.value())))
                    .isEqualTo(out.value());
        }
    }

    @Property
    void v4PayloadDecodesOrIsMalformed(@ForAll("v4Payloads") String input) {
        var out = run(() -> PayloadCodec.decode(input), MalformedPacketException.class, bound(input.length()));
        if (out.decoded()) {
            assertThat(PayloadCodec.decode(PayloadCodec.encode(out.value()))).isEqualTo(out.value());
        }
    }

    @Property
    void v4PayloadBytesDecodeOrAreMalformed(@ForAll("anyBytes") byte[] input) {
        run(() -> PayloadCodec.decode(input), MalformedPacketException.class, bound(input.length));
    }

    @Property
    void v3PacketDecodesOrIsMalformed(@ForAll("v3Packets") String input) {
        var out = run(() -> Eio3Codec.decodeText(input), MalformedPacketException.class, bound(input.length()));
        if (out.decoded()) {
            assertThat(Eio3Codec.decodeText(Eio3Codec.encodeText(out.value()))).isEqualTo(out.value());
        }
    }

    @Property
    void v3TextPayloadDecodesOrIsMalformed(@ForAll("v3Payloads") String input) {
        var out = run(() -> Eio3Codec.decodeTextPayload(input), MalformedPacketException.class, bound(input.length()));
        if (out.decoded()) {
            List<Packet> again = Eio3Codec.decodeTextPayload(Eio3Codec.encodeTextPayload(out.value()));
            assertThat(again).isEqualTo(out.value());
        }
    }

    @Property
    void v3BinaryPayloadDecodesOrIsMalformed(@ForAll("v3BinaryPayloads") byte[] input) {
        var out = run(() -> Eio3Codec.decodeBinaryPayload(input), MalformedPacketException.class, bound(input.length));
        if (out.decoded()) {
            List<Packet> again = Eio3Codec.decodeBinaryPayload(Eio3Codec.encodeBinaryPayload(out.value()));
            assertThat(again).isEqualTo(out.value());
        }
    }

    @Property
    void v3WebSocketBinaryDecodesOrIsMalformed(@ForAll("anyBytes") byte[] input) {
        run(() -> Eio3Codec.decodeWebSocketBinary(input), MalformedPacketException.class, bound(input.length));
    }
}
