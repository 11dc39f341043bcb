package dev.herald.socketio.internal;

import static dev.herald.engineio.fuzz.FuzzHarness.bound;
import static dev.herald.engineio.fuzz.FuzzHarness.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engineio.Message;
import dev.herald.engineio.fuzz.FuzzHarness;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fuzzing of the Socket.IO parser and of binary reassembly with jqwik: mutations of the spec
 * examples in {@code src/test/resources/fuzz/socketio-packets.txt}, random strings, and sequences
 * of header and attachment messages with wrong counts, extra attachments, attachments without a
 * header and huge declared counts. Every input decodes or is refused with
 * {@link PacketParseException}, within a timeout and a few copies of the input in allocation.
 *
 * <p>Tries per property: {@code jqwik.tries.default} ({@code -Dherald.fuzz.tries=N} through Maven).
 */
class PacketDecoderFuzzTest {

    private static final int MAX_ATTACHMENTS = 10;
    private static final long MAX_ATTACHMENT_BYTES = 4096;
    private static final int MAX_NAMESPACE = 64;

    private static PacketDecoder decoder() {
        return new PacketDecoder(MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, MAX_NAMESPACE);
    }

    @Provide
    Arbitrary<String> packets() {
        return Arbitraries.oneOf(
                FuzzHarness.mutated(FuzzHarness.textSeeds("socketio-packets.txt")),
                FuzzHarness.interestingStrings(64),
                Arbitraries.strings().all().ofMaxLength(256));
    }

    /** A header (a seed, perhaps mutated, or a binary header with any count) then text and binary messages. */
    @Provide
    Arbitrary<List<Message>> sequences() {
        Arbitrary<String> header = Arbitraries.oneOf(
                FuzzHarness.mutated(FuzzHarness.textSeeds("socketio-packets.txt")),
                Combinators.combine(
                                Arbitraries.of('5', '6'),
                                Arbitraries.oneOf(
                                        Arbitraries.integers().between(0, 12),
                                        Arbitraries.of(999_999_999, 1_000_000_000)),
                                Arbitraries.integers().between(0, 3))
                        .as((type, count, placeholders) -> {
                            StringBuilder sb = new StringBuilder()
                                    .append(type)
                                    .append(count)
                                    .append("-[\"e\"");
                            for (int k = 0; k < placeholders; k++) {
                                sb.append(",{\"_placeholder\":true,\"num\":")
                                        .append(k)
                                        .append('}');
                            }
                            return sb.append(']').toString();
                        }));
        Arbitrary<Message> attachment =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2048).map(Message::binary);
        Arbitrary<Message> text = packets().map(Message::text);
        Arbitrary<Message> any = Arbitraries.frequencyOf(Tuple.of(6, attachment), Tuple.of(1, text));
        return Combinators.combine(
                        Arbitraries.integers().between(0, 1), header, any.list().ofMaxSize(14))
                .as((skipHeader, h, rest) -> {
                    List<Message> all = new ArrayList<>();
                    if (skipHeader == 0) {
                        all.add(Message.text(h));
                    }
                    all.addAll(rest);
                    return all;
                });
    }

    @Property
    void textPacketDecodesOrIsRefused(@ForAll("packets") String input) throws Exception {
        PacketDecoder decoder = decoder();
        var out = run(() -> decoder.decode(Message.text(input)), PacketParseException.class, bound(input.length()));
        if (out.decoded() && out.value().isPresent()) {
            Packet p = out.value().get();
            assertThat(p.nsp().length()).isLessThanOrEqualTo(MAX_NAMESPACE);
            // What decodes re-encodes to what decodes to the same packet (binary packets need
            // their attachments, so only plain ones).
            if (p.type() != PacketType.BINARY_EVENT && p.type() != PacketType.BINARY_ACK) {
                List<Message> encoded = PacketEncoder.encode(p);
                if (encoded.size() == 1) {
                    assertThat(decoder().decode(encoded.get(0))).contains(p);
                }
            }
        }
    }

    @Property
    void messageSequenceDecodesOrIsRefused(@ForAll("sequences") List<Message> messages) {
        PacketDecoder decoder = decoder();
        long size = messages.stream()
                .mapToLong(m -> m.isBinary() ? m.binary().length : m.text().length())
                .sum();
        var out = run(
                () -> {
                    List<Packet> decoded = new ArrayList<>();
                    for (Message m : messages) {
                        Optional<Packet> p = decoder.decode(m);
                        p.ifPresent(decoded::add);
                    }
                    return decoded;
                },
                PacketParseException.class,
                bound((int) size));
        if (out.decoded()) {
            for (Packet p : out.value()) {
                assertThat(p.data().toString()).doesNotContain("_placeholder\":true");
            }
        }
    }

    @Example
    void hugeDeclaredCountAllocatesNothingEvenWithoutACountLimit() throws Exception {
        PacketDecoder unlimited = new PacketDecoder(Integer.MAX_VALUE);
        // Warm-up outside the measurement: the first parse in a JVM loads Jackson.
        run(
                () -> new PacketDecoder(1).decode(Message.text("51-[\"e\",{\"_placeholder\":true,\"num\":0}]")),
                PacketParseException.class,
                Long.MAX_VALUE);
        var out = run(
                () -> unlimited.decode(Message.text("5999999999-[\"e\",{\"_placeholder\":true,\"num\":0}]")),
                PacketParseException.class,
                256 * 1024);
        assertThat(out.decoded()).isTrue();
        assertThat(out.value()).isEmpty();
        assertThatThrownBy(() -> new PacketDecoder(Integer.MAX_VALUE).decode(Message.text("51000000000-[\"e\"]")))
                .isInstanceOf(PacketParseException.class);
        assertThatThrownBy(() -> decoder().decode(Message.text("5999999999-[\"e\"]")))
                .isInstanceOf(PacketParseException.class)
                .hasMessage("too many attachments");
    }

    @Example
    void attachmentsOverTheTotalSizeAreRefused() throws Exception {
        PacketDecoder decoder = decoder();
        assertThat(decoder.decode(
                        Message.text("52-[\"e\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")))
                .isEmpty();
        assertThat(decoder.decode(Message.binary(new byte[4000]))).isEmpty();
        assertThatThrownBy(() -> decoder.decode(Message.binary(new byte[97])))
                .isInstanceOf(PacketParseException.class)
                .hasMessage("attachments too large");
    }

    @Example
    void aNamespaceOverTheLimitIsRefused() throws Exception {
        String ok = "/" + "n".repeat(MAX_NAMESPACE - 1);
        assertThat(decoder().decode(Message.text("0" + ok + ",")))
                .map(Packet::nsp)
                .contains(ok);
        assertThatThrownBy(() -> decoder().decode(Message.text("0" + ok + "n,")))
                .isInstanceOf(PacketParseException.class)
                .hasMessage("namespace name too long");
        assertThatThrownBy(() -> decoder().decode(Message.text("0" + ok + "n")))
                .isInstanceOf(PacketParseException.class)
                .hasMessage("namespace name too long");
    }
}
