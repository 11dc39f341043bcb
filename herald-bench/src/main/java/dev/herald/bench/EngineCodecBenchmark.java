package dev.herald.bench;

import dev.herald.engineio.Message;
import dev.herald.engineio.parser.Eio3Codec;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketCodec;
import dev.herald.engineio.parser.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the Engine.IO packet and payload codecs: what the event loop spends per packet.
 *
 * <p>Run: {@code java -jar herald-bench/target/benchmarks.jar EngineCodecBenchmark -f 1 -wi 1 -i 2}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EngineCodecBenchmark {

    /** Size of the message text in characters. */
    @Param({"16", "1024"})
    public int size;

    private String textPacket;
    private List<Packet> payloadPackets;
    private String payload;
    private byte[] payloadBytes;
    private byte[] binaryData;
    private String eio3Payload;
    private byte[] eio3BinaryPayload;

    @Setup
    public void setUp() {
        String text = "[\"event\",\"" + "x".repeat(Math.max(0, size - 12)) + "\"]";
        textPacket = "4" + text;
        payloadPackets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            payloadPackets.add(Packet.message(Message.text(text)));
        }
        binaryData = new byte[size];
        payloadPackets.add(Packet.message(Message.binary(binaryData)));
        payload = PayloadCodec.encode(payloadPackets);
        payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        eio3Payload = Eio3Codec.encodeTextPayload(payloadPackets);
        eio3BinaryPayload = Eio3Codec.encodeBinaryPayload(payloadPackets);
    }

    @Benchmark
    public Packet decodeTextPacket() {
        return PacketCodec.decodeText(textPacket);
    }

    @Benchmark
    public byte[] encodeWebSocketTextFrameUncached() {
        // a new Message each time: the cost a single emit pays once
        return PacketCodec.webSocketText(Packet.message(Message.text(textPacket)));
    }

    @Benchmark
    public String encodePollingPayload() {
        return PayloadCodec.encode(payloadPackets);
    }

    @Benchmark
    public List<Packet> decodePollingPayload() {
        return PayloadCodec.decode(payloadBytes);
    }

    @Benchmark
    public String encodeBinaryAsBase64() {
        return PacketCodec.encodeText(Packet.message(Message.binary(binaryData)));
    }

    @Benchmark
    public List<Packet> decodeEio3TextPayload() {
        return Eio3Codec.decodeTextPayload(eio3Payload);
    }

    @Benchmark
    public List<Packet> decodeEio3BinaryPayload() {
        return Eio3Codec.decodeBinaryPayload(eio3BinaryPayload);
    }
}
